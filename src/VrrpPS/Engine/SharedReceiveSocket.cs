using System.Net.Sockets;
using VrrpPS.Protocol;

namespace VrrpPS.Engine;

/// <summary>
/// The one socket that receives the multicast adverts of an interface, family and group for every instance on it,
/// as keepalived reads them: the kernel copies each advert once, not once per instance, and the engine hands it to
/// the instances of its VRID through a table (VRID → instances; usually one).
/// </summary>
internal sealed class SharedReceiveSocket(IVrrpSocket socket, (int Index, AddressFamily Family, IpAddressValue Group) key) : IDisposable
{
    private readonly List<InstanceRuntime>?[] _byVrid = new List<InstanceRuntime>?[256];

    public IVrrpSocket Socket { get; } = socket;
    public (int Index, AddressFamily Family, IpAddressValue Group) Key { get; } = key;
    public int Count { get; private set; }

    /// <summary>The instances of <paramref name="vrid"/> on this socket; null when none.</summary>
    public List<InstanceRuntime>? For(byte vrid) => _byVrid[vrid];

    public void Add(InstanceRuntime instance)
    {
        int vrid = instance.Definition.VirtualRouterId & 0xFF;
        (_byVrid[vrid] ??= []).Add(instance);
        Count++;
    }

    public void Remove(InstanceRuntime instance)
    {
        int vrid = instance.Definition.VirtualRouterId & 0xFF;
        if (_byVrid[vrid] is { } list && list.Remove(instance))
        {
            Count--;
            if (list.Count == 0)
            {
                _byVrid[vrid] = null;
            }
        }
    }

    /// <summary>Every instance on this socket (for a receive error).</summary>
    public IEnumerable<InstanceRuntime> Members => _byVrid.Where(l => l is not null).SelectMany(l => l!);

    public void Dispose() => Socket.Dispose();
}
