namespace VrrpPS.Diagnostics;

/// <summary>Callbacks to the cmdlet; always called on the thread that runs the test.</summary>
public interface IFailoverObserver
{
    void Progress(string status, int percent);
    void Verbose(string message);
    bool ShouldProcess(string target, string action);
}
