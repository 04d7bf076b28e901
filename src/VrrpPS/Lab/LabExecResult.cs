namespace VrrpPS.Lab;

/// <summary>Outcome of one command run in a lab namespace.</summary>
public sealed class LabExecResult
{
    public LabExecResult(int exitCode, string standardOutput, string standardError)
    {
        ExitCode = exitCode;
        StandardOutput = standardOutput;
        StandardError = standardError;
    }

    public int ExitCode { get; }
    public string StandardOutput { get; }
    public string StandardError { get; }
    public bool Succeeded => ExitCode == 0;

    public override string ToString() => $"exit {ExitCode}: {StandardOutput}{StandardError}".TrimEnd();
}
