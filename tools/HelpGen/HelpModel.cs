namespace HelpGen;

/// <summary>A help-file defect: reported as "file:line: error Id: message" and makes HelpGen exit 1.</summary>
public sealed class HelpFormatException(string file, int line, string id, string message) : Exception(message)
{
    public string File { get; } = file;
    public int Line { get; } = line;
    public string Id { get; } = id;

    public override string ToString() => $"{File}:{Line}: error {Id}: {Message}";
}

/// <summary>Name of the implicit set when the SYNTAX section has a single block and no "###" heading.</summary>
public static class ParameterSets
{
    public const string AllSets = "__AllParameterSets";
}

public sealed record CommandHelp(
    string Name,
    string Synopsis,
    IReadOnlyList<string> Description,
    IReadOnlyList<SyntaxSet> Syntax,
    IReadOnlyList<ParameterHelp> Parameters,
    IReadOnlyList<TypeHelp> Inputs,
    IReadOnlyList<TypeHelp> Outputs,
    IReadOnlyList<string> Notes,
    IReadOnlyList<ExampleHelp> Examples,
    IReadOnlyList<LinkHelp> Links)
{
    public string Verb => Name[..Name.IndexOf('-', StringComparison.Ordinal)];
    public string Noun => Name[(Name.IndexOf('-', StringComparison.Ordinal) + 1)..];
}

/// <summary>One "### SetName" block of SYNTAX: the parameter names its code line lists, in order.</summary>
public sealed record SyntaxSet(string Name, bool IsDefault, IReadOnlyList<string> ParameterNames, int Line);

public sealed record ParameterHelp(string Name, IReadOnlyList<string> Description, IReadOnlyList<ParameterMetadata> Metadata, int Line)
{
    /// <summary>The yaml block that applies to a set: the one naming it, else the "(All)" one.</summary>
    public ParameterMetadata? For(string set) =>
        Metadata.FirstOrDefault(m => m.Sets.Contains(set, StringComparer.OrdinalIgnoreCase))
        ?? Metadata.FirstOrDefault(m => m.AllSets);
}

/// <summary>One ```yaml block under a parameter; AllSets when "Parameter Sets: (All)".</summary>
public sealed record ParameterMetadata(
    string Type,
    bool AllSets,
    IReadOnlyList<string> Sets,
    IReadOnlyList<string> Aliases,
    IReadOnlyList<string> AcceptedValues,
    bool Required,
    string Position,
    string DefaultValue,
    string PipelineInput,
    bool Globbing)
{
    public bool IsSwitch => Type is "SwitchParameter" or "System.Management.Automation.SwitchParameter";
}

public sealed record TypeHelp(string TypeName, IReadOnlyList<string> Description);

public sealed record ExampleHelp(string Title, string Code, IReadOnlyList<string> Remarks);

public sealed record LinkHelp(string Text, string Uri);
