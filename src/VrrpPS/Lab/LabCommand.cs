using System.Net;
using System.Net.Sockets;
using System.Text;
using VrrpPS.Engine;
using VrrpPS.Platform.Linux;

namespace VrrpPS.Lab;

/// <summary>Runs lab commands through the module's one process runner: argument arrays (never a shell string), bounded in time.</summary>
internal static class LabCommand
{
    public static LabExecResult Run(string file, IReadOnlyList<string> args, TimeSpan timeout)
    {
        ProcessOutcome o = LinuxProcessRunner.Shared.RunAsync(new ProcessRequest([file, .. args], timeout)
        {
            InheritEnvironment = true,
            OutputCap = ProcessRequest.ToolOutputCap,
            OutputGrace = timeout,
        }).GetAwaiter().GetResult();
        if (o.StartFailed)
        {
            throw new InvalidOperationException($"Could not start {file}: {o.Error}");
        }
        if (o.TimedOut)
        {
            throw new TimeoutException($"'{Describe(file, args)}' did not finish within {timeout.TotalSeconds} s.");
        }
        return new LabExecResult(o.ExitCode, o.Output ?? string.Empty, o.StandardError ?? string.Empty);
    }

    public static LabExecResult RunChecked(string file, IReadOnlyList<string> args, TimeSpan timeout)
    {
        LabExecResult r = Run(file, args, timeout);
        if (!r.Succeeded)
        {
            throw new InvalidOperationException($"'{Describe(file, args)}' failed (exit {r.ExitCode}): {r.StandardError.Trim()}");
        }
        return r;
    }

    public static string Describe(string file, IReadOnlyList<string> args)
    {
        var sb = new StringBuilder(file);
        foreach (string a in args)
        {
            sb.Append(' ').Append(a);
        }
        return sb.ToString();
    }

    /// <summary>
    /// Lab safety: only documentation / benchmark ranges and link-local (198.51.100.0/24,
    /// 203.0.113.0/24, 198.18.0.0/15, 2001:db8::/32, fe80::/10) may be put on lab interfaces.
    /// </summary>
    public static bool IsAllowedLabAddress(string cidr)
    {
        string[] parts = cidr.Split('/');
        if (parts.Length != 2 || !IPAddress.TryParse(parts[0], out IPAddress? ip) || !int.TryParse(parts[1], out int prefix))
        {
            return false;
        }
        byte[] b = ip.GetAddressBytes();
        if (ip.AddressFamily == AddressFamily.InterNetwork)
        {
            return prefix is >= 8 and <= 32
                && ((b[0] == 198 && b[1] == 51 && b[2] == 100)
                    || (b[0] == 203 && b[1] == 0 && b[2] == 113)
                    || (b[0] == 198 && (b[1] & 0xfe) == 18));
        }
        return ip.AddressFamily == AddressFamily.InterNetworkV6 && prefix is >= 16 and <= 128
            && ((b[0] == 0x20 && b[1] == 0x01 && b[2] == 0x0d && b[3] == 0xb8)
                || (b[0] == 0xfe && (b[1] & 0xc0) == 0x80));
    }
}
