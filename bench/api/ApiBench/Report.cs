using System.Globalization;

namespace Provisioning.Bench.Api;

/// <summary>Rows of the one table, and the percentiles they quote.</summary>
internal static class Report
{
    public static void Row(string measurement, string figure, string comparedWith, string ratio) =>
        Console.WriteLine($"| {measurement} | {figure} | {comparedWith} | {ratio} |");

    public static double Percentile(IReadOnlyList<double> values, double p)
    {
        double[] sorted = [.. values.Order()];
        return sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Length) - 1, 0, sorted.Length - 1)];
    }

    public static string Ms(double milliseconds) => milliseconds.ToString("F2", CultureInfo.InvariantCulture) + " ms";

    public static string Ratio(double value) => "×" + value.ToString("F2", CultureInfo.InvariantCulture);
}
