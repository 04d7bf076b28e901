using System.Net;
using VrrpPS.Config;
using VrrpPS.Diagnostics;
using Xunit;

namespace VrrpPS.Tests.Diagnostics;

/// <summary>Test-VrrpFailover -Lab planning: address remapping into documentation ranges, node addresses, causes.</summary>
public sealed class SandboxPlanTests : IDisposable
{
    // The master/backup configs of the how-to in shared/seed (10.x addresses, ens18).
    private const string SeedMaster = "vrrp_instance Postgres_VIP {\nstate MASTER\ninterface ens18\nvirtual_router_id 51\npriority 255\nadvert_int 1\nunicast_src_ip 10.0.1.62\nunicast_peer {\n10.0.1.63\n10.0.1.64\n}\nauthentication {\nauth_type PASS\nauth_pass PostgresReplication\n}\nvirtual_ipaddress {\n10.0.2.100/8\n}\n}\n";
    private const string SeedBackup = "vrrp_instance Postgres_VIP {\nstate BACKUP\ninterface ens18\nvirtual_router_id 51\npriority 254\nadvert_int 1\nauthentication {\nauth_type PASS\nauth_pass PostgresReplication\n}\nvirtual_ipaddress {\n10.0.2.100/8\n}\n}\n";
    private readonly string _dir = Directory.CreateTempSubdirectory("vrrpps-plan").FullName;

    public void Dispose() => Directory.Delete(_dir, true);

    private SandboxPlan Plan(params string[] texts)
    {
        var files = texts.Select((t, i) => { string p = Path.Combine(_dir, $"n{i + 1}.conf"); File.WriteAllText(p, t); return p; }).ToList();
        return SandboxPlan.Create(files.Select(f => KeepalivedConfigReader.Read(f, new KeepalivedReadOptions { ConfigId = "x" })).ToList(), files);
    }

    private static bool Allowed(string a) => LabAddressMap.IsLabAddress(IPAddress.Parse(a));

    [Fact]
    public void Seed_configs_are_mapped_consistently_into_lab_ranges()
    {
        var plan = Plan(SeedMaster, SeedBackup, SeedBackup.Replace("priority 254", "priority 253"));
        var all = plan.Nodes.SelectMany(n => n.Instance.VirtualIPAddress.Select(v => v.Address)
            .Concat(n.Instance.UnicastPeer.Select(p => p.Address)).Append(n.Address)
            .Concat(n.Instance.UnicastSourceAddress is { } s ? [s] : [])).ToList();
        Assert.All(all, a => Assert.True(Allowed(a), $"{a} is outside the lab ranges"));
        // Same original → same lab address in every file; low bits kept: 10.0.1.62 → 198.18.1.62.
        Assert.Equal("198.18.1.62", plan.Nodes[0].Instance.UnicastSourceAddress);
        Assert.Equal(["198.18.1.63", "198.18.1.64"], plan.Nodes[0].Instance.UnicastPeer.Select(p => p.Address));
        Assert.All(plan.Nodes, n => Assert.Equal("198.18.2.100", n.Instance.VirtualIPAddress[0].Address));
        // /8 would leave the lab range: narrowed to the /15 of 198.18.0.0/15.
        Assert.All(plan.Nodes, n => Assert.Equal(15, n.Instance.VirtualIPAddress[0].PrefixLength));
        // Backups without unicast_src_ip take the addresses the master lists as peers.
        Assert.Equal(["198.18.1.62/15", "198.18.1.63/15", "198.18.1.64/15"], plan.Nodes.Select(n => n.Cidr));
        Assert.Contains(plan.Map.Table, m => m.Original == "10.0.2.100" && m.Mapped == "198.18.2.100");
    }

    [Fact]
    public void Colliding_low_bits_get_distinct_lab_addresses()
    {
        var map = new LabAddressMap();
        string a = map.Map("10.0.1.5"), b = map.Map("172.16.1.5"), c = map.Map("10.0.1.5");
        Assert.NotEqual(a, b);
        Assert.Equal(a, c);
        Assert.True(Allowed(b));
        Assert.Equal("2001:db8::1", map.Map("fd00::1"));
        Assert.Equal("198.51.100.7", map.Map("198.51.100.7")); // already a lab address: kept
        Assert.Equal(("2001:db8::2", 32), map.MapCidr("fd00::2", 8));
    }

    [Fact]
    public void An_address_already_in_the_lab_range_is_not_reused_for_a_mapped_one()
    {
        var map = new LabAddressMap();
        map.Reserve("198.18.1.5");
        Assert.NotEqual("198.18.1.5", map.Map("10.0.1.5"));
    }

    [Fact]
    public void Two_owners_and_misplaced_nopreempt_are_named_as_causes()
    {
        var twoOwners = Plan(SeedMaster, SeedBackup.Replace("priority 254", "priority 255"));
        Assert.Contains(twoOwners.Causes(), c => c.Contains("same priority 255", StringComparison.Ordinal));
        var nopreempt = Plan(SeedMaster.Replace("priority 255", "priority 150\nnopreempt").Replace("state MASTER", "state BACKUP"), SeedBackup.Replace("priority 254", "priority 100"));
        Assert.Equal("n1", nopreempt.Designated.Name);
        Assert.Contains(nopreempt.Causes(), c => c.Contains("n1 has the highest priority (150) but nopreempt", StringComparison.Ordinal));
        Assert.Empty(Plan(SeedMaster, SeedBackup).Causes());
    }

    [Fact]
    public void Winner_is_highest_priority_then_highest_address_RFC5798_6_4_3()
    {
        var plan = Plan(SeedBackup.Replace("priority 254", "priority 100"), SeedBackup.Replace("priority 254", "priority 100"));
        var w = SandboxPlan.Winner(plan.Nodes)!;
        Assert.Equal(plan.Nodes.OrderBy(n => Version.Parse(n.Address)).Last().Name, w.Name);
    }

    [Fact]
    public void Failover_bounds_follow_the_RFC_formulas()
    {
        // v3, 1 s, priority 100: Skew = 156/256 s = 609.375 ms; MDI = 3 s + Skew.
        Assert.Equal(609.375, FailoverBounds.Release(3, 100, TimeSpan.FromSeconds(1)).TotalMilliseconds, 3);
        Assert.Equal(3609.375, FailoverBounds.Loss(3, 100, TimeSpan.FromSeconds(1)).TotalMilliseconds, 3);
        // v2: Skew independent of the interval (RFC 3768 §6.1).
        Assert.Equal(609.375, FailoverBounds.Release(2, 100, TimeSpan.FromSeconds(2)).TotalMilliseconds, 3);
    }
}
