// Usage: Chart <summary.csv> <out.png>   |   Chart scale <scale.csv> <out.png> (ScaleChart.cs)
// summary.csv: implementation,interval_ms,trials,median_ms,p95_ms,max_ms,bound_ms (header line first).
// One group of bars per advertisement interval; bar = median failover as a percentage of the RFC
// bound at that interval (so 1 s, 100 ms and 10 ms fit one axis), whisker = p95, label = median in ms.
using System.Globalization;
using ScottPlot;

if (args.Length == 3 && args[0] == "scale")
{
    return ScaleChart.Draw(args[1], args[2]);
}
if (args.Length != 2)
{
    Console.Error.WriteLine("Usage: Chart <summary.csv> <out.png>");
    return 2;
}

var rows = File.ReadAllLines(args[0]).Skip(1)
    .Where(l => l.Trim().Length > 0)
    .Select(l => l.Split(','))
    .Select(f => new Row(f[0], D(f[1]), D(f[3]), D(f[4]), D(f[6])))
    .ToList();
string[] implementations = rows.Select(r => r.Implementation).Distinct().ToArray();
double[] intervals = rows.Select(r => r.IntervalMs).Distinct().OrderByDescending(i => i).ToArray();
Color[] colors = [Colors.SteelBlue, Colors.DarkOrange, Colors.SeaGreen, Colors.Purple];

var plot = new Plot();
var ticks = new List<Tick>();
for (int g = 0; g < intervals.Length; g++)
{
    double center = g * (implementations.Length + 1);
    ticks.Add(new Tick(center + (implementations.Length - 1) / 2.0, $"{intervals[g]:0.##} ms adverts"));
    for (int i = 0; i < implementations.Length; i++)
    {
        Row? r = rows.FirstOrDefault(x => x.Implementation == implementations[i] && x.IntervalMs == intervals[g]);
        if (r is null || double.IsNaN(r.MedianMs))
        {
            continue;
        }
        double x = center + i;
        double median = 100 * r.MedianMs / r.BoundMs;
        double p95 = 100 * r.P95Ms / r.BoundMs;
        var bar = plot.Add.Bar(new Bar { Position = x, Value = median, FillColor = colors[i % colors.Length], Error = 0 });
        var whisker = plot.Add.Line(x, median, x, p95);
        whisker.LineColor = Colors.Black;
        whisker.LineWidth = 2;
        var label = plot.Add.Text($"{r.MedianMs:0.#} ms", x, p95);
        label.LabelFontSize = 11;
        label.LabelAlignment = Alignment.LowerCenter;
    }
}
for (int i = 0; i < implementations.Length; i++)
{
    plot.Legend.ManualItems.Add(new LegendItem { LabelText = implementations[i], FillColor = colors[i % colors.Length] });
}
var bound = plot.Add.HorizontalLine(100);
bound.LinePattern = LinePattern.Dashed;
bound.LineColor = Colors.Red;
bound.LegendText = "RFC bound (Master_Down_Interval + 1 interval)";
plot.Legend.Alignment = Alignment.UpperRight;
plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericManual(ticks.ToArray());
plot.Axes.Bottom.MajorTickStyle.Length = 0;
plot.Axes.Left.Label.Text = "failover time, % of RFC bound (bar: median, line: p95)";
plot.Title("Cable cut on the master: time until the VIP is on the new master");
plot.Axes.SetLimitsY(0, 130);
plot.HideGrid();
plot.SavePng(args[1], 900, 520);
Console.WriteLine($"Chart: {args[1]}");
return 0;

static double D(string s) => double.Parse(s, CultureInfo.InvariantCulture);

internal sealed record Row(string Implementation, double IntervalMs, double MedianMs, double P95Ms, double BoundMs);
