using Markdig.Syntax;
using Markdig.Syntax.Inlines;

namespace HelpGen;

/// <summary>Turns Markdig blocks back into the plain paragraphs MAML holds (maml:para).</summary>
public sealed class MarkdownText(string text)
{
    /// <summary>The block's own source text.</summary>
    public string Raw(Block block) =>
        block.Span.IsEmpty ? string.Empty : text.Substring(block.Span.Start, Math.Min(block.Span.Length, text.Length - block.Span.Start));

    /// <summary>1-based line of a block.</summary>
    public static int LineOf(Block block) => block.Line + 1;

    public string HeadingText(HeadingBlock heading) => Raw(heading).Trim().TrimStart('#').Trim();

    /// <summary>A paragraph with its soft line breaks turned into spaces (how platyPS reads prose).</summary>
    public string Flatten(Block block) =>
        string.Join(' ', Raw(block).Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0));

    public static string Code(LeafBlock code) => code.Lines.ToString().TrimEnd('\n', ' ');

    /// <summary>One MAML paragraph per markdown paragraph, list item or code block.</summary>
    public List<string> Paragraphs(IEnumerable<Block> blocks)
    {
        var paras = new List<string>();
        foreach (Block block in blocks)
        {
            switch (block)
            {
                case ParagraphBlock p:
                    paras.Add(Flatten(p));
                    break;
                case ListBlock list:
                    int n = int.TryParse(list.OrderedStart, out int start) ? start : 1;
                    foreach (Block item in list)
                    {
                        string bullet = list.IsOrdered ? $"{n++}. " : "- ";
                        paras.Add(bullet + string.Join(' ', Paragraphs(item as ContainerBlock ?? Enumerable.Empty<Block>())));
                    }
                    break;
                case CodeBlock code:
                    paras.Add(Code(code));
                    break;
                case QuoteBlock quote:
                    paras.AddRange(Paragraphs(quote));
                    break;
                case HeadingBlock heading:
                    paras.Add(HeadingText(heading));
                    break;
                case HtmlBlock or ThematicBreakBlock or LinkReferenceDefinitionGroup or BlankLineBlock:
                    break;
                default:
                    paras.Add(Flatten(block));
                    break;
            }
        }
        return paras;
    }

    /// <summary>Links in a RELATED LINKS block; a line without a link is kept as plain link text.</summary>
    public IEnumerable<LinkHelp> Links(Block block)
    {
        var found = new List<LinkHelp>();
        foreach (LeafBlock leaf in Leaves(block))
        {
            var links = leaf.Inline?.Descendants<LinkInline>().Where(l => !l.IsImage).ToList() ?? [];
            if (links.Count == 0)
            {
                string plain = Flatten(leaf);
                if (plain.Length > 0)
                {
                    found.Add(new LinkHelp(plain, string.Empty));
                }
                continue;
            }
            foreach (LinkInline link in links)
            {
                string label = string.Concat(link.Descendants<LiteralInline>().Select(l => l.Content.ToString()));
                string url = link.Url ?? string.Empty;
                // platyPS keeps only absolute URIs; a relative "Other-Cmdlet.md" link is a name only.
                bool absolute = Uri.TryCreate(url, UriKind.Absolute, out _);
                found.Add(new LinkHelp(label.Length > 0 ? label : url, absolute ? url : string.Empty));
            }
        }
        return found;
    }

    private static IEnumerable<LeafBlock> Leaves(Block block) => block switch
    {
        LeafBlock leaf => [leaf],
        ContainerBlock container => container.SelectMany(Leaves),
        _ => [],
    };
}
