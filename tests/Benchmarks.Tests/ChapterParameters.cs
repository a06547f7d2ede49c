using System.Globalization;
using System.Text;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using NotebookRunner.Document;
using NotebookRunner.Parameters;

namespace Benchmarks.Tests;

/// <summary>A parameter's default as both languages write it: a number, a string or a bool. <see cref="Text"/> is how
/// its source spells it, for messages.</summary>
public sealed record ParameterValue(object Value, string Text, bool IsFloat32 = false)
{
    public bool SameAs(ParameterValue other) => (Value, other.Value) switch
    {
        (double a, double b) when IsFloat32 || other.IsFloat32 => (float)a == (float)b,
        (double a, double b) => a == b,
        (string a, string b) => a == b,
        (bool a, bool b) => a == b,
        _ => false,
    };
}

/// <summary>
/// The two sides' parameters: a notebook's <c>parameters</c> cell (read as the runner reads it) and the defaults a
/// bench/pytorch/chapterNN.py script hands to <c>Chapter(__doc__, dict(name=value, …))</c> (or <c>{"name": value, …}</c>).
/// Names match as common.py matches them: <c>learningRate</c> and <c>learning_rate</c> are one parameter.
/// </summary>
public static class ChapterParameters
{
    public static string Key(string name) => name.Replace("_", "", StringComparison.Ordinal).ToLowerInvariant();

    /// <summary>The notebook's parameters cell: each variable and its literal default.</summary>
    public static IReadOnlyDictionary<string, ParameterValue> OfNotebook(string path)
    {
        var notebook = NotebookReader.Read(path);
        var cell = NotebookParameters.FindParametersCell(notebook) ?? throw new InvalidOperationException($"{path} has no parameters cell");
        var result = new Dictionary<string, ParameterValue>();
        foreach (var p in NotebookParameters.Declared(cell))
        {
            var expression = SyntaxFactory.ParseExpression(p.DefaultText);
            var negative = expression is PrefixUnaryExpressionSyntax { RawKind: (int)SyntaxKind.UnaryMinusExpression };
            if (expression is PrefixUnaryExpressionSyntax unary && negative) expression = unary.Operand;
            var literal = (expression as LiteralExpressionSyntax)?.Token.Value;
            var sign = negative ? -1 : 1;
            result[p.Name] = literal switch
            {
                string s => new ParameterValue(s, p.DefaultText),
                bool b => new ParameterValue(b, p.DefaultText),
                float f => new ParameterValue(sign * (double)f, p.DefaultText, IsFloat32: true),
                int or long or double or decimal => new ParameterValue(sign * Convert.ToDouble(literal, CultureInfo.InvariantCulture), p.DefaultText),
                _ => throw new InvalidOperationException($"{path}: parameter '{p.Name}' has the default '{p.DefaultText}', not a literal"),
            };
        }
        return result;
    }

    /// <summary>The defaults a script declares with <c>Chapter(__doc__, dict(…))</c>, Python literals only.</summary>
    public static IReadOnlyDictionary<string, ParameterValue> OfScript(string source, string name)
    {
        var call = source.IndexOf("Chapter(__doc__,", StringComparison.Ordinal);
        if (call < 0) throw new FormatException($"{name}: no Chapter(__doc__, …) call declares its parameters");
        var i = call + "Chapter(__doc__,".Length;
        while (char.IsWhiteSpace(source[i])) i++;
        bool braces;
        if (source.AsSpan(i).StartsWith("dict(")) { braces = false; i += "dict(".Length; }
        else if (source[i] == '{') { braces = true; i++; }
        else throw new FormatException($"{name}: Chapter(__doc__, …) is not given dict(name=value, …) or {{\"name\": value, …}}");

        var result = new Dictionary<string, ParameterValue>();
        foreach (var item in TopLevelItems(source, i, braces ? '}' : ')', name))
        {
            var split = braces ? item.IndexOf(':') : item.IndexOf('=');
            if (split <= 0) throw new FormatException($"{name}: '{item}' is not a parameter and its default");
            var key = item[..split].Trim();
            if (braces) key = PythonString(key) ?? throw new FormatException($"{name}: the key {key} is not a string");
            result[key] = PythonLiteral(item[(split + 1)..].Trim())
                          ?? throw new FormatException($"{name}: parameter '{key}' has the default '{item[(split + 1)..].Trim()}', not a Python literal");
        }
        return result;
    }

    /// <summary>Every parameter both sides name whose defaults differ, in words; empty when they agree.</summary>
    public static IReadOnlyList<string> Mismatches(IReadOnlyDictionary<string, ParameterValue> notebook, string notebookName,
        IReadOnlyDictionary<string, ParameterValue> script, string scriptName)
    {
        var scriptByKey = script.ToDictionary(p => Key(p.Key));
        return notebook.Where(p => scriptByKey.ContainsKey(Key(p.Key)))
            .Select(p => (Notebook: p, Script: scriptByKey[Key(p.Key)]))
            .Where(p => !p.Notebook.Value.SameAs(p.Script.Value))
            .Select(p => $"{p.Notebook.Key}: {notebookName}'s parameters cell has {p.Notebook.Value.Text}, {scriptName} has {p.Script.Key}={p.Script.Value.Text}")
            .ToList();
    }

    /// <summary>The comma-separated items up to the bracket that closes the call, outside strings, nested brackets and
    /// comments.</summary>
    private static List<string> TopLevelItems(string source, int start, char close, string name)
    {
        var items = new List<string>();
        var current = new StringBuilder();
        var depth = 0;
        for (var i = start; i < source.Length; i++)
        {
            var c = source[i];
            if (c is '"' or '\'')
            {
                var end = i + 1;
                while (end < source.Length && source[end] != c) end += source[end] == '\\' ? 2 : 1;
                current.Append(source, i, end - i + 1);
                i = end;
                continue;
            }
            if (c == '#') { while (i < source.Length && source[i] != '\n') i++; continue; }
            if (depth == 0 && c == close)
            {
                if (current.ToString().Trim() is { Length: > 0 } last) items.Add(last);
                return items;
            }
            if (c is '(' or '[' or '{') depth++;
            if (c is ')' or ']' or '}') depth--;
            if (depth == 0 && c == ',') { items.Add(current.ToString().Trim()); current.Clear(); continue; }
            current.Append(c);
        }
        throw new FormatException($"{name}: the parameters' dict is not closed");
    }

    private static ParameterValue? PythonLiteral(string text)
    {
        if (text is "True" or "False") return new ParameterValue(text == "True", text);
        if (PythonString(text) is { } s) return new ParameterValue(s, text);
        return double.TryParse(text.Replace("_", "", StringComparison.Ordinal), NumberStyles.Float, CultureInfo.InvariantCulture, out var d)
            ? new ParameterValue(d, text) : null;
    }

    private static string? PythonString(string text) =>
        text.Length >= 2 && text[0] is '"' or '\'' && text[^1] == text[0] && !text[1..^1].Contains('\\') ? text[1..^1] : null;
}
