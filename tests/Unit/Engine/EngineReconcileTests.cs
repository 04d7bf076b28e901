using VrrpPS.Engine;
using VrrpPS.Protocol;
using VrrpPS.StateMachine;
using VrrpPS.Tests.Simulation.Engine;
using Xunit;

namespace VrrpPS.Tests.Engine;

/// <summary>
/// Reconcile as Sync-VrrpConfiguration uses it: a dry run (-WhatIf) gives the same answer the real
/// run then gives, validates the whole new configuration, and touches nothing (no packet, no
/// address, no transition); the real run leaves unchanged instances alone.
/// </summary>
public sealed class EngineReconcileTests : IDisposable
{
    private readonly EngineSimulator _sim = new(seed: 11);

    public void Dispose() => _sim.Dispose();

    private static InstanceDefinition Def(string name, int vrid, string vip, int priority = 150) =>
        SimDefinitions.Instance(name, priority, vrid, 5, vip, VrrpVersion.V3);

    private static string[] Answer(ReloadResult r) =>
        [.. r.Started.Select(n => "start " + n), .. r.Stopped.Select(n => "stop " + n), .. r.Restarted.Select(n => "restart " + n),
         .. r.PriorityChanged.Select(n => "priority " + n), .. r.Unchanged.Select(n => "same " + n)];

    [Fact]
    public void ADryRunAnswersWhatTheRealRunDoesAndTouchesNothing()
    {
        var a = _sim.AddNode("198.51.100.11");
        var vi1 = Def("VI_1", 51, "198.51.100.100");
        var vi2 = Def("VI_2", 52, "198.51.100.101");
        var vi3 = Def("VI_3", 53, "198.51.100.102");
        a.Engine.Start([vi1, vi2, vi3]);
        _sim.RunUntil(() => a.Engine.GetStates().All(s => s.State == VrrpState.Master), TimeSpan.FromSeconds(5));
        _sim.RunFor(TimeSpan.FromMilliseconds(500));
        var desired = new List<InstanceDefinition>
        {
            vi1,                                                     // unchanged
            vi2 with { Priority = 140 },                             // priority only
            vi3 with { VirtualRouterId = 63 },                       // restart
            Def("VI_4", 54, "198.51.100.104"),                       // new
        };
        string[] managed = ["VI_1", "VI_2", "VI_3"];
        int transitions = a.Transitions.Count;
        int sent = _sim.Network.Wire.Count;
        var journal = a.Host.SimAddresses.Journal.ToList();

        var dry = a.Engine.Reconcile(desired, managed, dryRun: true);

        Assert.Equal(["start VI_4", "restart VI_3", "priority VI_2", "same VI_1"], Answer(dry));
        Assert.Equal(["VI_1", "VI_2", "VI_3"], a.Engine.GetStates().Select(s => s.Name).Order());
        Assert.Equal(150, a.Engine.GetStates().Single(s => s.Name == "VI_2").Priority);
        Assert.Equal(transitions, a.Transitions.Count);
        Assert.Equal(journal, a.Host.SimAddresses.Journal);
        Assert.Equal(sent, _sim.Network.Wire.Count); // stepped nowhere: the dry run itself sends nothing

        var real = a.Engine.Reconcile(desired, managed);
        Assert.Equal(Answer(dry), Answer(real));
        Assert.Equal(["VI_1", "VI_2", "VI_3", "VI_4"], a.Engine.GetStates().Select(s => s.Name).Order());
        Assert.Equal(140, a.Engine.GetStates().Single(s => s.Name == "VI_2").Priority);
    }

    [Fact]
    public void ADryRunValidatesTheWholeConfigurationLikeTheRealRun()
    {
        var a = _sim.AddNode("198.51.100.11");
        var vi1 = Def("VI_1", 51, "198.51.100.100");
        a.Engine.Start([vi1]);
        _sim.RunUntil(() => a.State("VI_1").State == VrrpState.Master, TimeSpan.FromSeconds(5));
        var clash = Def("VI_2", 51, "198.51.100.101"); // the same VRID on the same interface
        var ex = Assert.Throws<VrrpEngineException>(() => a.Engine.Reconcile([vi1, clash], ["VI_1"], dryRun: true));
        Assert.Equal(EngineErrorIds.VirtualRouterIdInUse, ex.ErrorId);
        Assert.Equal(["VI_1"], a.Engine.GetStates().Select(s => s.Name));
    }
}
