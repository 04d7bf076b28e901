using System.Management.Automation;
using VrrpPS.Engine.Tracking;
using VrrpPS.Engine;

namespace VrrpPS.Hosting;

/// <summary>
/// One -TrackScript entry. Written as a hashtable, which PowerShell converts to this type while
/// binding (an unknown key is a binding error, so typos are caught):
/// @{ Name='api'; ScriptBlock={ ... }; Interval=5; Timeout=2; Rise=5; Fall=2; Weight=-60 }
/// or a program run with an argument array: @{ Name='api'; Command='/usr/bin/curl','-fsS','http://127.0.0.1:8080/'; Weight=-60 }.
/// </summary>
public sealed class VrrpTrackScript
{
    public string Name { get; set; } = string.Empty;
    public ScriptBlock? ScriptBlock { get; set; }
    public string[]? Command { get; set; }
    public double Interval { get; set; } = 1;
    public double Timeout { get; set; }
    public int Rise { get; set; } = 1;
    public int Fall { get; set; } = 1;
    public int Weight { get; set; }
    public bool Reverse { get; set; }
    public bool InitFail { get; set; }
    public string? User { get; set; }
    public string? Group { get; set; }

    internal TrackScriptDefinition ToDefinition(string instance)
    {
        if (string.IsNullOrWhiteSpace(Name) || (ScriptBlock is null) == (Command is null or { Length: 0 }))
        {
            throw new VrrpEngineException(EngineErrorIds.InvalidTrackScript,
                $"({instance}) each -TrackScript needs a Name and exactly one of ScriptBlock or Command.", Name);
        }
        if (Interval <= 0 || Timeout < 0 || Rise < 1 || Fall < 1)
        {
            throw new VrrpEngineException(EngineErrorIds.InvalidTrackScript,
                $"({instance}) track script {Name}: Interval must be > 0, Timeout >= 0, Rise and Fall >= 1.", Name);
        }
        return new TrackScriptDefinition
        {
            Name = Name,
            Command = Command,
            ScriptBlockText = ScriptBlock?.ToString(), // re-created from text in the engine runspace
            IntervalSeconds = Interval,
            TimeoutSeconds = Timeout,
            Rise = Rise,
            Fall = Fall,
            Weight = Weight,
            Reverse = Reverse,
            InitFail = InitFail,
            User = User,
            Group = Group,
        };
    }
}
