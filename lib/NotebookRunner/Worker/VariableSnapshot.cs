using System.Collections;
using System.Globalization;
using System.Reflection;
using System.Runtime.CompilerServices;
using System.Text.Json.Nodes;

namespace NotebookRunner.Worker;

/// <summary>
/// A notebook variable's final value as JSON, for tests (as testbook offers): numbers, strings, booleans, arrays,
/// lists and dictionaries of them, tuples, records and anonymous objects, recursively; a multi-dimensional array keeps
/// its shape as nested arrays (a float[2, 3] is two arrays of three). Anything else becomes
/// <c>{"$type": …, "$text": …}</c> from its ToString().
/// </summary>
internal static class VariableSnapshot
{
    private const int MaxDepth = 6;
    private const int MaxItems = 1_000_000;

    public static JsonNode? ToJson(object? value) => Convert(value, 0);

    private static JsonNode? Convert(object? value, int depth)
    {
        switch (value)
        {
            case null: return null;
            case string s: return JsonValue.Create(s);
            case char ch: return JsonValue.Create(ch.ToString());
            case bool b: return JsonValue.Create(b);
            case double d: return double.IsFinite(d) ? JsonValue.Create(d) : JsonValue.Create(d.ToString(CultureInfo.InvariantCulture));
            case float f: return float.IsFinite(f) ? JsonValue.Create(f) : JsonValue.Create(f.ToString(CultureInfo.InvariantCulture));
            case decimal m: return JsonValue.Create(m);
            case Enum e: return JsonValue.Create(e.ToString());
            case sbyte or byte or short or ushort or int or uint or long or ulong:
                return JsonValue.Create(System.Convert.ToDecimal(value, CultureInfo.InvariantCulture));
            case DateTime or DateTimeOffset or TimeSpan or Guid:
                return JsonValue.Create(System.Convert.ToString(value, CultureInfo.InvariantCulture));
        }
        if (depth >= MaxDepth) return Opaque(value);

        if (value is IDictionary dictionary)
        {
            var obj = new JsonObject();
            foreach (DictionaryEntry entry in dictionary)
                obj[System.Convert.ToString(entry.Key, CultureInfo.InvariantCulture) ?? ""] = Convert(entry.Value, depth + 1);
            return obj;
        }
        if (value is Array { Rank: > 1 } grid) return grid.Length <= MaxItems ? Nested(grid, new int[grid.Rank], 0, depth) : Opaque(grid);
        if (value is ITuple tuple)
        {
            var array = new JsonArray();
            for (var i = 0; i < tuple.Length; i++) array.Add(Convert(tuple[i], depth + 1));
            return array;
        }
        if (value is IEnumerable enumerable && IsPlainCollection(value.GetType()))
        {
            var array = new JsonArray();
            foreach (var item in enumerable)
            {
                if (array.Count >= MaxItems) break;
                array.Add(Convert(item, depth + 1));
            }
            return array;
        }
        if (IsRecordOrAnonymous(value.GetType()))
        {
            var obj = new JsonObject();
            foreach (var property in value.GetType().GetProperties(BindingFlags.Public | BindingFlags.Instance))
            {
                if (property.GetIndexParameters().Length > 0 || property.Name == "EqualityContract") continue;
                obj[property.Name] = Convert(property.GetValue(value), depth + 1);
            }
            return obj;
        }
        return Opaque(value);
    }

    /// <summary>Dimension <paramref name="dimension"/> of a multi-dimensional array as one JSON array, the
    /// indices before it fixed by <paramref name="index"/>: row-major nesting, as NumPy's tolist() gives.</summary>
    private static JsonArray Nested(Array grid, int[] index, int dimension, int depth)
    {
        var array = new JsonArray();
        var lower = grid.GetLowerBound(dimension);
        for (var i = 0; i < grid.GetLength(dimension); i++)
        {
            index[dimension] = lower + i;
            array.Add(dimension == grid.Rank - 1
                ? Convert(grid.GetValue(index), depth + 1)
                : Nested(grid, index, dimension + 1, depth));
        }
        return array;
    }

    private static bool IsPlainCollection(Type type) =>
        type.IsArray || (type.Namespace?.StartsWith("System.Collections", StringComparison.Ordinal) ?? false);

    private static bool IsRecordOrAnonymous(Type type) =>
        type.GetMethod("<Clone>$") is not null
        || (type.Name.Contains("AnonymousType", StringComparison.Ordinal) && type.IsDefined(typeof(CompilerGeneratedAttribute), false));

    private static JsonObject Opaque(object value)
    {
        string? text;
        try { text = value.ToString(); } catch (Exception e) { text = $"(ToString() threw {e.GetType().Name})"; }
        return new JsonObject { ["$type"] = value.GetType().FullName, ["$text"] = text };
    }
}
