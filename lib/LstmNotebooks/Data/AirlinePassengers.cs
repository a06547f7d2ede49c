using System.Globalization;
using Microsoft.Data.Analysis;

namespace LstmNotebooks.Data;

/// <summary>A monthly series: month labels ("1949-01") and values, in time order.</summary>
public sealed record MonthlySeries(string[] Months, float[] Values)
{
    public int Count => Values.Length;

    /// <summary>The series as a DataFrame with columns "Month" and "Passengers".</summary>
    public DataFrame ToDataFrame() => new(
        new StringDataFrameColumn("Month", Months),
        new PrimitiveDataFrameColumn<float>("Passengers", Values));
}

/// <summary>
/// The monthly international airline passengers series (thousands, January 1949 – December 1960), read from a CSV
/// with the header <c>"Month","Passengers"</c>. Every problem is reported with the file, line and column: a missing
/// or empty file, a wrong header, ragged rows, a month that is not yyyy-MM or out of order, a missing, non-numeric
/// or negative value.
/// </summary>
public static class AirlinePassengers
{
    public static readonly string[] Header = ["Month", "Passengers"];

    public static MonthlySeries Load(string path)
    {
        if (!File.Exists(path)) throw new DataFileException(path, $"file not found (looked in {Path.GetFullPath(path)})");
        var lines = File.ReadAllLines(path);
        var lastNonEmpty = Array.FindLastIndex(lines, l => l.Trim().Length > 0);
        if (lastNonEmpty < 0) throw new DataFileException(path, "the file is empty; expected a header \"Month\",\"Passengers\" and one row per month");

        var header = SplitCsv(lines[0]);
        if (!header.Select(h => h.Trim()).SequenceEqual(Header))
            throw new DataFileException(path, 1, 1, "header",
                $"expected the header \"Month\",\"Passengers\", found {string.Join(",", header.Select(h => $"\"{h}\""))}");

        var months = new List<string>();
        var values = new List<float>();
        DateTime? previous = null;
        for (var i = 1; i <= lastNonEmpty; i++)
        {
            var lineNumber = i + 1;
            if (lines[i].Trim().Length == 0) throw new DataFileException(path, lineNumber, 1, "Month", "empty line inside the data");
            var fields = SplitCsv(lines[i]);
            if (fields.Count != Header.Length)
                throw new DataFileException(path, lineNumber, Math.Min(fields.Count, Header.Length) + 1, fields.Count < Header.Length ? Header[fields.Count] : "(extra)",
                    $"expected {Header.Length} fields, found {fields.Count}");

            var monthText = fields[0].Trim();
            if (!DateTime.TryParseExact(monthText, "yyyy-MM", CultureInfo.InvariantCulture, DateTimeStyles.None, out var month))
                throw new DataFileException(path, lineNumber, 1, "Month", $"'{monthText}' is not a month in the form yyyy-MM");
            if (previous is { } p && month != p.AddMonths(1))
                throw new DataFileException(path, lineNumber, 1, "Month", $"{monthText} does not follow {p:yyyy-MM}: months must be consecutive and in order");
            previous = month;

            var valueText = fields[1].Trim();
            if (valueText.Length == 0) throw new DataFileException(path, lineNumber, 2, "Passengers", "the value is missing");
            if (!float.TryParse(valueText, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) || !float.IsFinite(value))
                throw new DataFileException(path, lineNumber, 2, "Passengers", $"'{valueText}' is not a number");
            if (value < 0) throw new DataFileException(path, lineNumber, 2, "Passengers", $"{valueText} is negative; passenger counts cannot be");

            months.Add(monthText);
            values.Add(value);
        }
        if (values.Count < 2) throw new DataFileException(path, $"only {values.Count} month(s) of data; a series needs at least 2");
        return new MonthlySeries([.. months], [.. values]);
    }

    /// <summary>Splits one CSV line, honouring double quotes (a doubled quote inside quotes is a quote).</summary>
    internal static List<string> SplitCsv(string line)
    {
        var fields = new List<string>();
        var current = new System.Text.StringBuilder();
        var quoted = false;
        for (var i = 0; i < line.Length; i++)
        {
            var ch = line[i];
            if (quoted)
            {
                if (ch == '"' && i + 1 < line.Length && line[i + 1] == '"') { current.Append('"'); i++; }
                else if (ch == '"') quoted = false;
                else current.Append(ch);
            }
            else if (ch == '"') quoted = true;
            else if (ch == ',') { fields.Add(current.ToString()); current.Clear(); }
            else current.Append(ch);
        }
        fields.Add(current.ToString());
        return fields;
    }
}
