// `Chart scale <scale.csv> <out.png>`: CPU % of one core against the number of VRIDs, one line per
// implementation, role (master/backup) and advert interval, from bench/scale's CSV (Export-Csv: quoted,
// header first; columns found by name).
using System.Globalization;
using ScottPlot;

internal static class ScaleChart
{
    public static int Draw(string csv, string png)
    {
        string[] lines = File.ReadAllLines(csv).Where(l => l.Trim().Length > 0).ToArray();
        string[] header = Fields(lines[0]);
        int Col(string name) => Array.IndexOf(header, name) is int i and >= 0 ? i : throw new InvalidDataException($"{csv}: no column {name}");
        int impl = Col("Implementation"), interval = Col("IntervalMs"), n = Col("Vrids"), master = Col("MasterCpuPct"), backup = Col("BackupCpuPct");
        var rows = lines.Skip(1).Select(Fields).ToList();
        var plot = new Plot();
        Color[] colors = [Colors.SteelBlue, Colors.DarkOrange, Colors.SeaGreen, Colors.Purple, Colors.Crimson, Colors.Teal, Colors.Olive, Colors.SlateGray];
        int c = 0;
        foreach (var series in rows.GroupBy(r => (Impl: r[impl], Interval: r[interval])).OrderBy(g => g.Key.Impl).ThenByDescending(g => D(g.Key.Interval)))
        {
            var points = series.OrderBy(r => D(r[n])).ToArray();
            double[] xs = points.Select(r => D(r[n])).ToArray();
            foreach (var (role, col, pattern) in new[] { ("master", master, LinePattern.Solid), ("backup", backup, LinePattern.Dashed) })
            {
                var line = plot.Add.Scatter(xs, points.Select(r => D(r[col])).ToArray());
                line.Color = colors[c % colors.Length];
                line.LinePattern = pattern;
                line.LineWidth = 2;
                line.MarkerSize = 6;
                line.LegendText = $"{series.Key.Impl} {role}, {series.Key.Interval} ms adverts";
            }
            c++;
        }
        plot.Legend.Alignment = Alignment.UpperLeft;
        plot.Axes.Bottom.Label.Text = "VRIDs (one interface, v3)";
        plot.Axes.Left.Label.Text = "CPU, % of one core";
        plot.Title("VRID scale: CPU against the number of VRIDs (solid: master, dashed: backup)");
        plot.SavePng(png, 900, 560);
        Console.WriteLine($"Chart: {png}");
        return 0;
    }

    private static string[] Fields(string line) => line.Split(',').Select(f => f.Trim().Trim('"')).ToArray();

    private static double D(string s) => double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out double v) ? v : double.NaN;
}
