using System.Xml;
using System.Xml.Linq;

namespace HelpGen;

/// <summary>Writes CommandHelp as MAML (helpItems/command:command), the shape Get-Help reads for binary cmdlets.</summary>
public static class MamlWriter
{
    private static readonly XNamespace Msh = "http://msh";
    private static readonly XNamespace Maml = "http://schemas.microsoft.com/maml/2004/10";
    private static readonly XNamespace Command = "http://schemas.microsoft.com/maml/dev/command/2004/10";
    private static readonly XNamespace Dev = "http://schemas.microsoft.com/maml/dev/2004/10";
    private static readonly XNamespace MsHelp = "http://msdn.microsoft.com/mshelp";

    public static XDocument ToMaml(IEnumerable<CommandHelp> commands) =>
        new(new XDeclaration("1.0", "utf-8", null),
            new XElement(Msh + "helpItems", new XAttribute("schema", "maml"), commands.Select(ToCommand)));

    public static void Save(XDocument doc, string path)
    {
        var settings = new XmlWriterSettings { Indent = true, Encoding = new System.Text.UTF8Encoding(false) };
        using XmlWriter writer = XmlWriter.Create(path, settings);
        doc.Save(writer);
    }

    private static XElement ToCommand(CommandHelp c) =>
        new(Command + "command",
            new XAttribute(XNamespace.Xmlns + "maml", Maml),
            new XAttribute(XNamespace.Xmlns + "command", Command),
            new XAttribute(XNamespace.Xmlns + "dev", Dev),
            new XAttribute(XNamespace.Xmlns + "MSHelp", MsHelp),
            new XElement(Command + "details",
                new XElement(Command + "name", c.Name),
                new XElement(Command + "verb", c.Verb),
                new XElement(Command + "noun", c.Noun),
                Description([c.Synopsis])),
            Description(c.Description),
            new XElement(Command + "syntax", c.Syntax.Select(s => SyntaxItem(c, s))),
            new XElement(Command + "parameters", c.Parameters.Select(p => Parameter(p, p.Metadata[0], withValueForSwitch: true))),
            new XElement(Command + "inputTypes", c.Inputs.Select(t => TypeEntry("inputType", t))),
            new XElement(Command + "returnValues", c.Outputs.Select(t => TypeEntry("returnValue", t))),
            new XElement(Maml + "alertSet", new XElement(Maml + "alert", Paras(c.Notes))),
            new XElement(Command + "examples", c.Examples.Select(Example)),
            new XElement(Command + "relatedLinks", c.Links.Select(Link)));

    private static XElement SyntaxItem(CommandHelp c, SyntaxSet set) =>
        new(Command + "syntaxItem",
            new XElement(Maml + "name", c.Name),
            set.ParameterNames
                .Select(n => c.Parameters.First(p => string.Equals(p.Name, n, StringComparison.OrdinalIgnoreCase)))
                .Select(p => Parameter(p, p.For(set.Name)!, withValueForSwitch: false)));

    private static XElement Parameter(ParameterHelp p, ParameterMetadata m, bool withValueForSwitch)
    {
        var element = new XElement(Command + "parameter",
            new XAttribute("required", Bool(m.Required)),
            new XAttribute("variableLength", "true"),
            new XAttribute("globbing", Bool(m.Globbing)),
            new XAttribute("pipelineInput", m.PipelineInput),
            new XAttribute("position", m.Position),
            new XAttribute("aliases", m.Aliases.Count == 0 ? "none" : string.Join(", ", m.Aliases)),
            new XElement(Maml + "name", p.Name),
            Description(p.Description));
        if (m.AcceptedValues.Count > 0)
        {
            element.Add(new XElement(Command + "parameterValueGroup",
                m.AcceptedValues.Select(v => new XElement(Command + "parameterValue",
                    new XAttribute("required", "false"), new XAttribute("variableLength", "false"), v))));
        }
        // A switch takes no value: syntax shows "[-Wait]", so its syntax entry has no parameterValue.
        if (!m.IsSwitch || withValueForSwitch)
        {
            element.Add(new XElement(Command + "parameterValue",
                new XAttribute("required", Bool(!m.IsSwitch)), new XAttribute("variableLength", "false"), m.Type));
        }
        element.Add(new XElement(Dev + "type", new XElement(Maml + "name", m.Type), new XElement(Maml + "uri")),
            new XElement(Dev + "defaultValue", m.DefaultValue));
        return element;
    }

    private static XElement TypeEntry(string kind, TypeHelp t) =>
        new(Command + kind,
            new XElement(Dev + "type", new XElement(Maml + "name", t.TypeName)),
            Description(t.Description));

    private static XElement Example(ExampleHelp e) =>
        new(Command + "example",
            new XElement(Maml + "title", $"-------------------------- {e.Title} --------------------------"),
            new XElement(Dev + "code", e.Code),
            new XElement(Dev + "remarks", Paras(e.Remarks)));

    private static XElement Link(LinkHelp l) =>
        new(Maml + "navigationLink", new XElement(Maml + "linkText", l.Text), new XElement(Maml + "uri", l.Uri));

    private static XElement Description(IEnumerable<string> paras) => new(Maml + "description", Paras(paras));

    private static IEnumerable<XElement> Paras(IEnumerable<string> paras) => paras.Select(p => new XElement(Maml + "para", p));

    private static string Bool(bool value) => value ? "true" : "false";
}
