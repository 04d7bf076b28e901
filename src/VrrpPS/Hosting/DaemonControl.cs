using VrrpPS.Engine;

namespace VrrpPS.Hosting;

/// <summary>The daemon's answers to control requests (what <see cref="ControlServer"/> calls for each line).</summary>
internal sealed class DaemonControl
{
    private readonly VrrpEngine _engine;
    private readonly Func<ReloadRequest, ReloadOutcome> _reload;
    private readonly Action _shutdown;

    public DaemonControl(VrrpEngine engine, Func<ReloadRequest, ReloadOutcome> reload, Action shutdown)
    {
        _engine = engine;
        _reload = reload;
        _shutdown = shutdown;
    }

    public ControlResponse Handle(ControlRequest req)
    {
        string Name(string what) => req.Name ?? throw new ArgumentException($"{what} needs a name");
        switch (req.Command)
        {
            case "state":
            case "stats":
                return Ok(_engine.GetStates().Where(s => req.Name is null || s.Name == req.Name));
            case "metrics":
                return new ControlResponse { Ok = true, Text = MetricsText.Write(_engine.GetStates()) };
            case "stop":
                return Ok([_engine.Stop(Name("stop"))]);
            case "set-priority":
                return Ok([_engine.SetPriority(Name("set-priority"), req.Priority ?? throw new ArgumentException("set-priority needs a priority"))]);
            case "release":
                return Ok([_engine.Release(Name("release"))]);
            case "resume":
                return Ok([_engine.Resume(Name("resume"))]);
            case "reload":
                return Answer(_reload(ReloadRequest.Reread));
            case "sync":
                string path = req.Path ?? throw new ArgumentException("sync needs a path");
                if (!Path.IsPathFullyQualified(path))
                {
                    throw new ArgumentException("sync needs an absolute path (the daemon's working directory is not the caller's)");
                }
                return Answer(_reload(new ReloadRequest(path, req.ConfigId, req.DryRun)));
            case "shutdown":
                var states = _engine.GetStates();
                _shutdown();
                return Ok(states);
            default:
                throw new ArgumentException($"unknown command '{req.Command}'");
        }
    }

    private static ControlResponse Answer(ReloadOutcome outcome) =>
        new() { Ok = outcome.Succeeded, ErrorId = outcome.ErrorId, Error = outcome.Succeeded ? null : outcome.Message, Reload = outcome };

    private static ControlResponse Ok(IEnumerable<VrrpInstanceState> states) => new() { Ok = true, States = states.ToArray() };
}
