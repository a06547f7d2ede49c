using System.Globalization;

namespace NotebookApp;

/// <summary>
/// Turns a parameter override given as text (<c>--param epochs=200</c> to the runner, <c>--epochs 200</c> to an
/// exported app) into a value of the type the parameters cell declares, with one set of rules and messages for both.
/// </summary>
public static class ParameterText
{
    /// <summary>The value, or null with <paramref name="expected"/> saying what the text should have been.</summary>
    public static object? Parse(string text, Type type, out string expected)
    {
        var inv = CultureInfo.InvariantCulture;
        var t = text.Trim();
        expected = "";
        if (type == typeof(string)) return text;
        if (type == typeof(bool))
        {
            expected = "true or false";
            return bool.TryParse(t, out var b) ? b : null;
        }
        if (type == typeof(int) || type == typeof(long))
        {
            expected = $"a whole number ({Keyword(type)})";
            if (!long.TryParse(t.Replace("_", ""), NumberStyles.AllowLeadingSign, inv, out var n)) return null;
            if (type == typeof(long)) return n;
            if (n is < int.MinValue or > int.MaxValue) { expected = "a number that fits an int"; return null; }
            return (int)n;
        }
        if (type == typeof(double) || type == typeof(float) || type == typeof(decimal))
        {
            expected = $"a number ({Keyword(type)})";
            if (!double.TryParse(t.Replace("_", ""), NumberStyles.Float, inv, out var d)) return null;
            if (!double.IsFinite(d)) { expected = "a finite number"; return null; }
            return type == typeof(double) ? d : type == typeof(float) ? (float)d : (decimal)d;
        }
        throw new ArgumentException($"a parameter of type {type.Name} cannot be given as text", nameof(type));
    }

    /// <summary>The C# keyword of a parameter type (int, long, float, double, decimal, bool, string).</summary>
    public static string Keyword(Type type) =>
        type == typeof(int) ? "int" : type == typeof(long) ? "long" : type == typeof(float) ? "float"
        : type == typeof(double) ? "double" : type == typeof(decimal) ? "decimal" : type == typeof(bool) ? "bool" : "string";
}
