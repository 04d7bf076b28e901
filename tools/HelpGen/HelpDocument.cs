using Markdig;
using Markdig.Extensions.Yaml;
using Markdig.Syntax;

namespace HelpGen;

/// <summary>
/// The outline of one platyPS markdown file: front matter, the "# Name" title and its "## SECTION"s,
/// each split into the blocks before the first "###" (Intro) and the "###" subsections.
/// </summary>
public sealed class HelpDocument
{
    private static readonly MarkdownPipeline Pipeline = new MarkdownPipelineBuilder().UseYamlFrontMatter().Build();

    public static readonly string[] KnownSections =
        ["SYNOPSIS", "SYNTAX", "DESCRIPTION", "EXAMPLES", "PARAMETERS", "INPUTS", "OUTPUTS", "NOTES", "RELATED LINKS"];

    public sealed record Subsection(string Title, int Line, List<Block> Blocks);

    public sealed record Section(string Title, int Line, List<Block> Intro, List<Subsection> Subsections);

    public required string File { get; init; }
    public required MarkdownText Text { get; init; }
    public required string Title { get; init; }
    public required int TitleLine { get; init; }
    public required IReadOnlyDictionary<string, string> FrontMatter { get; init; }
    public required IReadOnlyDictionary<string, Section> Sections { get; init; }

    public HelpFormatException Error(int line, string id, string message) => new(File, line, id, message);

    public Section Required(string name) =>
        Sections.TryGetValue(name, out Section? s) ? s
        : throw Error(TitleLine, "HelpGen.MissingSection", $"the '## {name}' section is missing");

    public Section? Optional(string name) => Sections.GetValueOrDefault(name);

    public static HelpDocument Load(string path)
    {
        string source = System.IO.File.ReadAllText(path).Replace("\r\n", "\n", StringComparison.Ordinal);
        // platyPS's New-MarkdownHelp leaves "{{ Fill Name Description }}" where text is still owed.
        string[] rawLines = source.Split('\n');
        int placeholder = Array.FindIndex(rawLines, l => l.Contains("{{ Fill", StringComparison.Ordinal));
        if (placeholder >= 0)
        {
            throw new HelpFormatException(path, placeholder + 1, "HelpGen.Placeholder",
                $"unfilled platyPS placeholder: '{rawLines[placeholder].Trim()}'");
        }
        var text = new MarkdownText(source);
        MarkdownDocument doc = Markdown.Parse(source, Pipeline);
        var blocks = doc.ToList();

        if (blocks.Count == 0 || blocks[0] is not YamlFrontMatterBlock yaml)
        {
            throw new HelpFormatException(path, 1, "HelpGen.MissingFrontMatter",
                "the file must start with a '---' front matter block containing 'schema: 2.0.0'");
        }
        var front = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        var yamlLines = yaml.Lines.Lines.Take(yaml.Lines.Count).Select(l => l.ToString()).ToList();
        foreach (var (key, value, _) in YamlLite.Parse(yamlLines, path, MarkdownText.LineOf(yaml) + 1))
        {
            front[key] = value;
        }
        if (!front.TryGetValue("schema", out string? schema) || schema != "2.0.0")
        {
            throw new HelpFormatException(path, 1, "HelpGen.UnsupportedSchema",
                $"front matter must declare 'schema: 2.0.0' (platyPS), found '{schema ?? "<none>"}'");
        }

        if (blocks.Count < 2 || blocks[1] is not HeadingBlock { Level: 1 } h1)
        {
            int line = blocks.Count > 1 ? MarkdownText.LineOf(blocks[1]) : MarkdownText.LineOf(yaml);
            throw new HelpFormatException(path, line, "HelpGen.MissingTitle", "expected '# <Verb-Noun>' right after the front matter");
        }

        var sections = new Dictionary<string, Section>(StringComparer.Ordinal);
        Section? current = null;
        foreach (Block block in blocks.Skip(2))
        {
            int line = MarkdownText.LineOf(block);
            if (block is HeadingBlock heading)
            {
                string title = text.HeadingText(heading);
                switch (heading.Level)
                {
                    case 2:
                        if (!KnownSections.Contains(title, StringComparer.Ordinal))
                        {
                            throw new HelpFormatException(path, line, "HelpGen.UnknownSection",
                                $"unknown section '## {title}'; expected one of: {string.Join(", ", KnownSections)}");
                        }
                        current = new Section(title, line, [], []);
                        if (!sections.TryAdd(title, current))
                        {
                            throw new HelpFormatException(path, line, "HelpGen.DuplicateSection", $"section '## {title}' appears twice");
                        }
                        continue;
                    case 3 when current is not null:
                        current.Subsections.Add(new Subsection(title, line, []));
                        continue;
                    case 1 or 3:
                        throw new HelpFormatException(path, line, "HelpGen.UnexpectedHeading",
                            $"heading '{title}' is not inside a '## SECTION'");
                }
            }
            if (current is null)
            {
                if (block is HtmlBlock or LinkReferenceDefinitionGroup)
                {
                    continue;
                }
                throw new HelpFormatException(path, line, "HelpGen.UnexpectedContent", "text between the title and the first '## SECTION'");
            }
            (current.Subsections.Count == 0 ? current.Intro : current.Subsections[^1].Blocks).Add(block);
        }

        return new HelpDocument
        {
            File = path,
            Text = text,
            Title = text.HeadingText(h1),
            TitleLine = MarkdownText.LineOf(h1),
            FrontMatter = front,
            Sections = sections,
        };
    }
}
