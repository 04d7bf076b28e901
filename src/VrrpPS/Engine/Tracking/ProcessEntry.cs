namespace VrrpPS.Engine.Tracking;

/// <summary>One running process as the process table reports it.</summary>
public readonly record struct ProcessEntry(int Pid, string Name, IReadOnlyList<string>? CommandLine);
