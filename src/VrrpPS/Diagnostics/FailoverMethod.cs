using System.Diagnostics;
using System.Net.Sockets;
using VrrpPS.Engine;
using VrrpPS.Hosting;
using VrrpPS.Lab;

namespace VrrpPS.Diagnostics;

public enum FailoverMethod { Release, Demote, LinkDown }
