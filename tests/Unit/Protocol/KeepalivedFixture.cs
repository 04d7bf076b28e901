namespace VrrpPS.Tests.Protocol;

/// <summary>One captured packet from Fixtures/*.txt: "source destination ttl hex [extra…]" per line.</summary>
/// Lines may carry extra columns after the hex (see the fixture header).
internal sealed record CapturedPacket(string Source, string Destination, byte Ttl, byte[] Message, string[] Extra)
{
    public static IReadOnlyList<CapturedPacket> Load(string fixtureName)
    {
        string path = Path.Combine(AppContext.BaseDirectory, "Protocol", "Fixtures", fixtureName + ".txt");
        var packets = new List<CapturedPacket>();
        foreach (string line in File.ReadLines(path))
        {
            string trimmed = line.Trim();
            if (trimmed.Length == 0 || trimmed.StartsWith('#')) continue;
            string[] f = trimmed.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            packets.Add(new CapturedPacket(f[0], f[1], byte.Parse(f[2]), Convert.FromHexString(f[3]), f[4..]));
        }
        return packets;
    }
}
