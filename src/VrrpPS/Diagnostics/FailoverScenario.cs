using System.Diagnostics;
using VrrpPS.Config;
using VrrpPS.Engine;
using VrrpPS.Hosting;
using VrrpPS.Lab;
using VrrpPS.StateMachine;

namespace VrrpPS.Diagnostics;

public enum FailoverScenario { MasterCrash, LinkLoss, TrackFailure, GracefulStop, MasterReturn }
