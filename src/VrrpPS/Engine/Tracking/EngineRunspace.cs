using System.Collections.Concurrent;
using System.Management.Automation;
using System.Management.Automation.Runspaces;

namespace VrrpPS.Engine.Tracking;

/// <summary>How one ScriptBlock run ended.</summary>
internal readonly record struct ScriptOutcome(bool Success, string? Output, string? Error);

/// <summary>
/// The engine's own PowerShell runspace, created on first use and driven by one dedicated worker
/// thread, so ScriptBlock checks and actions run one at a time, in submission order. A ScriptBlock
/// arrives as text and is re-created inside this runspace (AddScript parses it here): the caller's
/// ScriptBlock object, bound to the caller's runspace, is never invoked from another thread.
/// A run that outlives its timeout is stopped; if it will not stop, the runspace is abandoned and
/// a fresh one is made for the next run.
/// </summary>
internal sealed class EngineRunspace : IDisposable
{
    private readonly BlockingCollection<(string Text, object?[] Args, TimeSpan Timeout, TaskCompletionSource<ScriptOutcome> Done)> _work = new();
    private readonly Thread _thread;
    private Runspace? _runspace;

    public EngineRunspace()
    {
        _thread = new Thread(Work) { IsBackground = true, Name = "VrrpPS engine runspace" };
        _thread.Start();
    }

    public Task<ScriptOutcome> InvokeAsync(string text, object?[] args, TimeSpan timeout)
    {
        var done = new TaskCompletionSource<ScriptOutcome>(TaskCreationOptions.RunContinuationsAsynchronously);
        try
        {
            _work.Add((text, args, timeout, done));
        }
        catch (InvalidOperationException)
        {
            done.SetResult(new ScriptOutcome(false, null, "the engine runspace is closed"));
        }
        return done.Task;
    }

    private void Work()
    {
        foreach (var item in _work.GetConsumingEnumerable())
        {
            ScriptOutcome outcome;
            try
            {
                outcome = Run(item.Text, item.Args, item.Timeout);
            }
            catch (Exception ex)
            {
                outcome = new ScriptOutcome(false, null, ex.Message);
            }
            item.Done.TrySetResult(outcome);
        }
        _runspace?.Dispose();
    }

    private ScriptOutcome Run(string text, object?[] args, TimeSpan timeout)
    {
        if (_runspace is null || _runspace.RunspaceStateInfo.State != RunspaceState.Opened)
        {
            _runspace?.Dispose();
            _runspace = RunspaceFactory.CreateRunspace(InitialSessionState.CreateDefault());
            _runspace.Open();
        }
        using var ps = PowerShell.Create();
        ps.Runspace = _runspace;
        ps.AddScript(text, useLocalScope: true);
        foreach (var a in args)
        {
            ps.AddArgument(a);
        }
        var output = new PSDataCollection<PSObject>();
        var async = ps.BeginInvoke<PSObject, PSObject>(null, output);
        if (!async.AsyncWaitHandle.WaitOne(timeout))
        {
            var stop = ps.BeginStop(null, null);
            if (!stop.AsyncWaitHandle.WaitOne(TimeSpan.FromSeconds(2)))
            {
                _runspace = null; // stuck in native code: abandon it, the next run gets a fresh runspace
            }
            return new ScriptOutcome(false, null, $"timed out after {timeout.TotalSeconds:0.###} s (stopped)");
        }
        try
        {
            ps.EndInvoke(async);
        }
        catch (RuntimeException ex)
        {
            return new ScriptOutcome(false, null, ex.ErrorRecord?.Exception?.Message ?? ex.Message);
        }
        string? last = output.Count > 0 ? output[^1]?.ToString() : null;
        if (ps.Streams.Error.Count > 0)
        {
            return new ScriptOutcome(false, last, ps.Streams.Error[0].Exception?.Message ?? ps.Streams.Error[0].ToString());
        }
        // $true / any truthy last output = OK; $false, 0, '' = failure; no output and no error = OK.
        bool ok = output.Count == 0 || LanguagePrimitives.IsTrue(output[^1]);
        return new ScriptOutcome(ok, last, ok ? null : $"returned {last ?? "$null"}");
    }

    public void Dispose() => _work.CompleteAdding();
}
