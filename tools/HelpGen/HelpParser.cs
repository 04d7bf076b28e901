using System.Text.RegularExpressions;
using Markdig.Syntax;

namespace HelpGen;

/// <summary>Builds a validated CommandHelp from a platyPS schema 2.0.0 markdown file.</summary>
public static partial class HelpParser
{
    private static readonly string[] YamlKeys =
        ["Type", "Parameter Sets", "Aliases", "Accepted values", "Required", "Position", "Default value",
         "Accept pipeline input", "Accept wildcard characters"];

    private static readonly string[] RequiredYamlKeys = ["Type", "Parameter Sets", "Required", "Position", "Accept pipeline input"];

    [GeneratedRegex(@"^[A-Z][A-Za-z]*-[A-Za-z][A-Za-z0-9]*$")]
    private static partial Regex CommandName();

    [GeneratedRegex(@"(?:^|[\s\[])-([A-Za-z_][A-Za-z0-9_]*)")]
    private static partial Regex SyntaxParameter();

    [GeneratedRegex(@"^(False|True \((ByValue|ByPropertyName)(, ?(ByValue|ByPropertyName))?\))$", RegexOptions.IgnoreCase)]
    private static partial Regex PipelineInput();

    public static CommandHelp Parse(string path)
    {
        HelpDocument doc = HelpDocument.Load(path);
        string name = doc.Title;
        if (!CommandName().IsMatch(name))
        {
            throw doc.Error(doc.TitleLine, "HelpGen.BadCommandName", $"title '{name}' is not a Verb-Noun command name");
        }
        string expected = Path.GetFileNameWithoutExtension(path);
        if (!string.Equals(name, expected, StringComparison.Ordinal))
        {
            throw doc.Error(doc.TitleLine, "HelpGen.NameMismatch", $"title '{name}' does not match the file name '{expected}.md'");
        }

        string synopsis = string.Join(' ', Prose(doc, doc.Required("SYNOPSIS")));
        List<string> description = Prose(doc, doc.Required("DESCRIPTION"));
        List<SyntaxSet> syntax = ReadSyntax(doc, name);
        List<ParameterHelp> parameters = ReadParameters(doc, syntax);
        CheckSyntaxAgainstParameters(doc, syntax, parameters);

        return new CommandHelp(name, synopsis, description, syntax, parameters,
            ReadTypes(doc, "INPUTS"), ReadTypes(doc, "OUTPUTS"),
            doc.Optional("NOTES") is { } notes ? doc.Text.Paragraphs(notes.Intro) : [],
            ReadExamples(doc), ReadLinks(doc));
    }

    /// <summary>A prose-only section (SYNOPSIS, DESCRIPTION): no "###", not empty.</summary>
    private static List<string> Prose(HelpDocument doc, HelpDocument.Section section)
    {
        if (section.Subsections.Count > 0)
        {
            throw doc.Error(section.Subsections[0].Line, "HelpGen.UnexpectedHeading", $"'## {section.Title}' takes no '###' headings");
        }
        List<string> paras = doc.Text.Paragraphs(section.Intro).Where(p => p.Length > 0).ToList();
        return paras.Count > 0 ? paras : throw doc.Error(section.Line, "HelpGen.EmptySection", $"'## {section.Title}' has no text");
    }

    private static List<SyntaxSet> ReadSyntax(HelpDocument doc, string command)
    {
        HelpDocument.Section section = doc.Required("SYNTAX");
        var parts = section.Subsections.Select(s => (Title: s.Title, s.Line, s.Blocks)).ToList();
        if (parts.Count == 0)
        {
            parts.Add((ParameterSets.AllSets, section.Line, section.Intro));
        }
        else if (section.Intro.Any(b => b is CodeBlock))
        {
            throw doc.Error(MarkdownText.LineOf(section.Intro.First(b => b is CodeBlock)), "HelpGen.UnexpectedContent",
                "a syntax block before the first '### <ParameterSetName>' heading");
        }

        var sets = new List<SyntaxSet>();
        foreach (var (title, line, blocks) in parts)
        {
            var codes = blocks.OfType<CodeBlock>().ToList();
            if (codes.Count != 1)
            {
                throw doc.Error(line, "HelpGen.BadSyntaxBlock", $"parameter set '{title}' needs exactly one code block, found {codes.Count}");
            }
            string code = MarkdownText.Code(codes[0]);
            string firstWord = code.Split((char[])[' ', '\n'], 2)[0];
            if (!string.Equals(firstWord, command, StringComparison.OrdinalIgnoreCase))
            {
                throw doc.Error(MarkdownText.LineOf(codes[0]), "HelpGen.SyntaxMismatch", $"syntax of '{title}' starts with '{firstWord}', not '{command}'");
            }
            bool isDefault = title.EndsWith(" (Default)", StringComparison.Ordinal);
            string setName = isDefault ? title[..^" (Default)".Length].Trim() : title;
            if (sets.Any(s => string.Equals(s.Name, setName, StringComparison.OrdinalIgnoreCase)))
            {
                throw doc.Error(line, "HelpGen.DuplicateParameterSet", $"parameter set '{setName}' appears twice in SYNTAX");
            }
            var names = SyntaxParameter().Matches(code).Select(m => m.Groups[1].Value).ToList();
            sets.Add(new SyntaxSet(setName, isDefault, names, MarkdownText.LineOf(codes[0])));
        }
        return sets;
    }

    private static List<ParameterHelp> ReadParameters(HelpDocument doc, List<SyntaxSet> syntax)
    {
        var result = new List<ParameterHelp>();
        if (doc.Optional("PARAMETERS") is not { } section)
        {
            return result;
        }
        RejectIntro(doc, section);
        foreach (HelpDocument.Subsection sub in section.Subsections)
        {
            if (sub.Title == "CommonParameters")
            {
                continue;
            }
            if (!sub.Title.StartsWith('-') || sub.Title.Length < 2 || sub.Title.Contains(' ', StringComparison.Ordinal))
            {
                throw doc.Error(sub.Line, "HelpGen.BadParameterHeading", $"parameter heading '### {sub.Title}' must be '### -Name'");
            }
            string name = sub.Title[1..];
            if (result.Any(p => string.Equals(p.Name, name, StringComparison.OrdinalIgnoreCase)))
            {
                throw doc.Error(sub.Line, "HelpGen.DuplicateParameter", $"parameter '-{name}' is documented twice");
            }
            var yamlBlocks = sub.Blocks.OfType<FencedCodeBlock>().Where(c => c.Info == "yaml").ToList();
            if (yamlBlocks.Count == 0)
            {
                throw doc.Error(sub.Line, "HelpGen.ParameterWithoutYaml", $"parameter '-{name}' has no ```yaml block (Type, Parameter Sets, Required, Position…)");
            }
            List<string> description = doc.Text.Paragraphs(sub.Blocks.TakeWhile(b => !yamlBlocks.Contains(b))).Where(p => p.Length > 0).ToList();
            if (description.Count == 0)
            {
                throw doc.Error(sub.Line, "HelpGen.ParameterWithoutDescription", $"parameter '-{name}' has no description before its yaml block");
            }
            var metadata = yamlBlocks.Select(y => ReadMetadata(doc, y, syntax)).ToList();
            var covered = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
            for (int i = 0; i < metadata.Count; i++)
            {
                foreach (string set in metadata[i].AllSets ? ["(All)"] : metadata[i].Sets)
                {
                    if (!covered.Add(set))
                    {
                        throw doc.Error(MarkdownText.LineOf(yamlBlocks[i]), "HelpGen.DuplicateParameterSet",
                            $"parameter '-{name}' has two yaml blocks for set '{set}'");
                    }
                }
            }
            result.Add(new ParameterHelp(name, description, metadata, sub.Line));
        }
        return result;
    }

    private static ParameterMetadata ReadMetadata(HelpDocument doc, FencedCodeBlock yaml, List<SyntaxSet> syntax)
    {
        var lines = yaml.Lines.Lines.Take(yaml.Lines.Count).Select(l => l.ToString()).ToList();
        var pairs = YamlLite.Parse(lines, doc.File, MarkdownText.LineOf(yaml) + 1);
        int blockLine = MarkdownText.LineOf(yaml);
        foreach (var (key, _, line) in pairs)
        {
            if (!YamlKeys.Contains(key, StringComparer.Ordinal))
            {
                throw doc.Error(line, "HelpGen.YamlUnknownKey", $"unknown key '{key}'; expected one of: {string.Join(", ", YamlKeys)}");
            }
        }
        string? Get(string key) => pairs.Where(p => p.Key == key).Select(p => p.Value).FirstOrDefault();
        int LineOf(string key) => pairs.Where(p => p.Key == key).Select(p => p.Line).FirstOrDefault(blockLine);
        foreach (string key in RequiredYamlKeys)
        {
            if (string.IsNullOrWhiteSpace(Get(key)))
            {
                throw doc.Error(blockLine, "HelpGen.YamlMissingKey", $"parameter yaml lacks '{key}:'");
            }
        }

        bool Bool(string key, bool fallback) => Get(key) switch
        {
            null or "" => fallback,
            var v when v.Equals("True", StringComparison.OrdinalIgnoreCase) => true,
            var v when v.Equals("False", StringComparison.OrdinalIgnoreCase) => false,
            var v => throw doc.Error(LineOf(key), "HelpGen.YamlBadValue", $"'{key}' must be True or False, found '{v}'"),
        };

        string position = Get("Position")!;
        if (position.Equals("Named", StringComparison.OrdinalIgnoreCase))
        {
            position = "named";
        }
        else if (!int.TryParse(position, out int p) || p < 0)
        {
            throw doc.Error(LineOf("Position"), "HelpGen.YamlBadValue", $"'Position' must be Named or a number ≥ 0, found '{position}'");
        }

        string pipeline = Get("Accept pipeline input")!;
        if (!PipelineInput().IsMatch(pipeline))
        {
            throw doc.Error(LineOf("Accept pipeline input"), "HelpGen.YamlBadValue",
                $"'Accept pipeline input' must be False or True (ByValue|ByPropertyName[, …]), found '{pipeline}'");
        }

        string setsText = Get("Parameter Sets")!;
        bool all = setsText == "(All)";
        var sets = all ? [] : List(setsText);
        foreach (string set in sets)
        {
            if (!syntax.Any(s => string.Equals(s.Name, set, StringComparison.OrdinalIgnoreCase)))
            {
                throw doc.Error(LineOf("Parameter Sets"), "HelpGen.UnknownParameterSet",
                    $"parameter set '{set}' is not one of the SYNTAX sets ({string.Join(", ", syntax.Select(s => s.Name))})");
            }
        }

        return new ParameterMetadata(Get("Type")!, all, sets, List(Get("Aliases")), List(Get("Accepted values")),
            Bool("Required", false), position, Get("Default value") is { Length: > 0 } d ? d : "None", pipeline,
            Bool("Accept wildcard characters", false));
    }

    private static void CheckSyntaxAgainstParameters(HelpDocument doc, List<SyntaxSet> syntax, List<ParameterHelp> parameters)
    {
        foreach (SyntaxSet set in syntax)
        {
            var documented = parameters.Where(p => p.For(set.Name) is not null).Select(p => p.Name).ToList();
            var missing = set.ParameterNames.Except(documented, StringComparer.OrdinalIgnoreCase).ToList();
            var extra = documented.Except(set.ParameterNames, StringComparer.OrdinalIgnoreCase).ToList();
            if (missing.Count > 0 || extra.Count > 0)
            {
                throw doc.Error(set.Line, "HelpGen.SyntaxMismatch",
                    $"set '{set.Name}': syntax lists parameters with no yaml for this set [{string.Join(", ", missing)}]; " +
                    $"yaml puts parameters in this set that the syntax omits [{string.Join(", ", extra)}]");
            }
        }
    }

    private static List<TypeHelp> ReadTypes(HelpDocument doc, string name)
    {
        if (doc.Optional(name) is not { } section)
        {
            return [];
        }
        RejectIntro(doc, section);
        return section.Subsections.Select(s => new TypeHelp(s.Title, doc.Text.Paragraphs(s.Blocks))).ToList();
    }

    private static List<ExampleHelp> ReadExamples(HelpDocument doc)
    {
        HelpDocument.Section section = doc.Required("EXAMPLES");
        RejectIntro(doc, section);
        if (section.Subsections.Count == 0)
        {
            throw doc.Error(section.Line, "HelpGen.NoExamples", "'## EXAMPLES' needs at least one '### Example N: …' with a code block");
        }
        var examples = new List<ExampleHelp>();
        foreach (HelpDocument.Subsection sub in section.Subsections)
        {
            var code = sub.Blocks.OfType<CodeBlock>().ToList();
            if (code.Count == 0)
            {
                throw doc.Error(sub.Line, "HelpGen.ExampleWithoutCode", $"example '{sub.Title}' has no code block");
            }
            examples.Add(new ExampleHelp(sub.Title, string.Join("\n\n", code.Select(MarkdownText.Code)),
                doc.Text.Paragraphs(sub.Blocks.Where(b => b is not CodeBlock))));
        }
        return examples;
    }

    private static List<LinkHelp> ReadLinks(HelpDocument doc)
    {
        var links = new List<LinkHelp>();
        if (doc.FrontMatter.TryGetValue("online version", out string? online) && online.Length > 0)
        {
            links.Add(new LinkHelp("Online Version:", online));
        }
        if (doc.Optional("RELATED LINKS") is { } section)
        {
            links.AddRange(section.Intro.SelectMany(doc.Text.Links));
        }
        return links;
    }

    private static void RejectIntro(HelpDocument doc, HelpDocument.Section section)
    {
        Block? stray = section.Intro.FirstOrDefault(b => b is not (HtmlBlock or LinkReferenceDefinitionGroup));
        if (stray is not null)
        {
            throw doc.Error(MarkdownText.LineOf(stray), "HelpGen.UnexpectedContent",
                $"text in '## {section.Title}' before its first '###' heading");
        }
    }

    private static List<string> List(string? value) =>
        string.IsNullOrWhiteSpace(value) || value == "None"
            ? []
            : value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToList();
}
