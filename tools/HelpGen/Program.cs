using HelpGen;

// Usage: HelpGen <help dir> <out xml>
// Converts every <Verb-Noun>.md in <help dir> (platyPS schema 2.0.0) into one MAML file. about_*.md
// topics are skipped (about topics ship as module/en-US/about_*.help.txt). Any malformed file is
// reported as "file:line: error HelpGen.Id: message" on stderr and the exit code is 1; no output
// is written then. A missing or empty help dir gives an empty helpItems document and a warning
// (the Pester help test is what fails when a cmdlet has no help).
if (args.Length != 2)
{
    Console.Error.WriteLine($"usage: HelpGen <help dir> <out xml> (got {args.Length}: {string.Join(" | ", args)})");
    return 2;
}
string source = args[0];
string destination = args[1];

var files = Directory.Exists(source)
    ? Directory.GetFiles(source, "*.md")
        .Where(f => !Path.GetFileName(f).StartsWith("about_", StringComparison.OrdinalIgnoreCase))
        .Order(StringComparer.Ordinal)
        .ToList()
    : [];
if (files.Count == 0)
{
    Console.Error.WriteLine($"HelpGen: warning: no cmdlet help (*.md) in '{source}'; writing an empty help file");
}

var commands = new List<CommandHelp>();
var errors = new List<HelpFormatException>();
foreach (string file in files)
{
    try
    {
        commands.Add(HelpParser.Parse(file));
    }
    catch (HelpFormatException ex)
    {
        errors.Add(ex);
    }
}
if (errors.Count > 0)
{
    foreach (HelpFormatException error in errors)
    {
        Console.Error.WriteLine(error.ToString());
    }
    Console.Error.WriteLine($"HelpGen: {errors.Count} malformed help file(s); '{destination}' not written");
    return 1;
}

string? dir = Path.GetDirectoryName(Path.GetFullPath(destination));
if (dir is not null)
{
    Directory.CreateDirectory(dir);
}
MamlWriter.Save(MamlWriter.ToMaml(commands), destination);
Console.WriteLine($"HelpGen: {commands.Count} command(s) -> {destination}");
return 0;
