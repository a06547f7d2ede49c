using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using NotebookRunner.Document;

namespace NotebookRunner.Parameters;

/// <summary>The C# types a parameter's default can have, and so the types an override is converted to.</summary>
public enum ParameterType { Int, Long, Float, Double, Decimal, Bool, String }

/// <summary>One variable declared in the <c>parameters</c> cell, with its default's literal type.</summary>
public sealed record DeclaredParameter(string Name, ParameterType? Type, string DefaultText, int Line);

/// <summary>
/// One parameter override and where it came from. Text typed on a command line (<c>--param epochs=200</c>) is parsed
/// as the type the parameters cell declares; a value from a JSON params file keeps its JSON type, so
/// <c>{"epochs": "10"}</c> is a string and is refused for an <c>int</c> parameter, naming the file.
/// </summary>
public sealed record ParameterOverride(JsonNode? Value, string Origin, bool IsText)
{
    public static ParameterOverride Text(string text, string origin = "--param") => new(JsonValue.Create(text), origin, IsText: true);
    public static ParameterOverride Json(JsonNode? value, string origin) => new(value?.DeepClone(), origin, IsText: false);
}

/// <summary>A parameter problem: unknown name, wrong type, duplicate parameters cells.</summary>
public sealed class ParameterException(string message) : Exception(message);

/// <summary>
/// The papermill convention for notebooks: a cell tagged <c>parameters</c> holds defaults; overrides become a cell
/// tagged <c>injected-parameters</c> right after it, re-declaring each overridden variable with a literal of the
/// default's type (C# scripting allows a later cell to re-declare a variable).
/// </summary>
public static class NotebookParameters
{
    public const string ParametersTag = "parameters";
    public const string InjectedTag = "injected-parameters";

    public static NotebookCell? FindParametersCell(Notebook notebook)
    {
        var tagged = notebook.Cells.Where(c => c.HasTag(ParametersTag)).ToList();
        if (tagged.Count > 1)
            throw new ParameterException(
                $"{notebook.Path}: {tagged.Count} cells are tagged '{ParametersTag}' ({string.Join(", ", tagged.Select(c => c.Label))}); exactly one may be");
        if (tagged.Count == 1 && tagged[0].Kind != CellKind.Code)
            throw new ParameterException($"{notebook.Path}: {tagged[0].Label} is tagged '{ParametersTag}' but is not a code cell");
        return tagged.SingleOrDefault();
    }

    /// <summary>The variables the parameters cell declares, in order.</summary>
    public static IReadOnlyList<DeclaredParameter> Declared(NotebookCell parametersCell)
    {
        var tree = CSharpSyntaxTree.ParseText(parametersCell.Source, CSharpParseOptions.Default.WithKind(SourceCodeKind.Script));
        var declarations = tree.GetRoot().DescendantNodes()
            .Select(n => n switch
            {
                FieldDeclarationSyntax f when f.Parent is CompilationUnitSyntax => f.Declaration,
                LocalDeclarationStatementSyntax l when l.Parent is GlobalStatementSyntax => l.Declaration,
                _ => null,
            })
            .OfType<VariableDeclarationSyntax>();

        var result = new List<DeclaredParameter>();
        foreach (var declaration in declarations)
        {
            foreach (var variable in declaration.Variables)
            {
                var type = TypeOf(declaration.Type, variable.Initializer?.Value);
                var line = variable.GetLocation().GetLineSpan().StartLinePosition.Line + 1;
                result.Add(new DeclaredParameter(variable.Identifier.ValueText, type,
                    variable.Initializer?.Value.ToString() ?? "", line));
            }
        }
        return result;
    }

    /// <summary>
    /// Converts overrides (from <c>--param name=value</c> text or a JSON params file) to C# declarations, checked
    /// against what the parameters cell declares. Returns the injected cell's source.
    /// </summary>
    public static string BuildInjectedSource(Notebook notebook, NotebookCell parametersCell, IReadOnlyDictionary<string, ParameterOverride> overrides)
    {
        var declared = Declared(parametersCell).GroupBy(p => p.Name).ToDictionary(g => g.Key, g => g.Last());
        var sb = new StringBuilder();
        sb.Append("// Parameters injected by NotebookRunner; they override the defaults in the cell above.\n");
        foreach (var (name, value) in overrides)
        {
            if (!declared.TryGetValue(name, out var parameter))
                throw new ParameterException(
                    $"{notebook.Path}: parameter '{name}' (from {value.Origin}) is not declared in the parameters cell ({parametersCell.Label}); "
                    + $"it declares: {(declared.Count == 0 ? "nothing" : string.Join(", ", declared.Keys))}");
            if (parameter.Type is not { } type)
                throw new ParameterException(
                    $"{notebook.Path}: parameter '{name}' ({parametersCell.Label}, line {parameter.Line}) has the default "
                    + $"'{parameter.DefaultText}', which is not a literal of a simple type; it cannot be overridden");
            sb.Append(CSharpKeyword(type)).Append(' ').Append(name).Append(" = ")
              .Append(Literal(notebook.Path, name, type, value)).Append(";\n");
        }
        return sb.ToString().TrimEnd('\n');
    }

    /// <summary>Parses <c>name=value</c> pairs from the command line into overrides (values stay text until typed).</summary>
    public static KeyValuePair<string, ParameterOverride> ParseAssignment(string assignment)
    {
        var eq = assignment.IndexOf('=');
        if (eq <= 0) throw new ParameterException($"--param expects name=value, got '{assignment}'");
        var name = assignment[..eq].Trim();
        if (!SyntaxFacts.IsValidIdentifier(name)) throw new ParameterException($"--param: '{name}' is not a C# identifier");
        return new(name, ParameterOverride.Text(assignment[(eq + 1)..]));
    }

    private static ParameterType? TypeOf(TypeSyntax declaredType, ExpressionSyntax? initializer)
    {
        if (declaredType is PredefinedTypeSyntax predefined)
        {
            return predefined.Keyword.Kind() switch
            {
                SyntaxKind.IntKeyword => ParameterType.Int,
                SyntaxKind.LongKeyword => ParameterType.Long,
                SyntaxKind.FloatKeyword => ParameterType.Float,
                SyntaxKind.DoubleKeyword => ParameterType.Double,
                SyntaxKind.DecimalKeyword => ParameterType.Decimal,
                SyntaxKind.BoolKeyword => ParameterType.Bool,
                SyntaxKind.StringKeyword => ParameterType.String,
                _ => null,
            };
        }
        if (!declaredType.IsVar || initializer is null) return null;
        if (initializer is PrefixUnaryExpressionSyntax { RawKind: (int)SyntaxKind.UnaryMinusExpression } negated)
            initializer = negated.Operand;
        if (initializer is not LiteralExpressionSyntax literal) return null;
        return literal.Token.Value switch
        {
            int => ParameterType.Int,
            long => ParameterType.Long,
            float => ParameterType.Float,
            double => ParameterType.Double,
            decimal => ParameterType.Decimal,
            bool => ParameterType.Bool,
            string => ParameterType.String,
            _ => null,
        };
    }

    private static string CSharpKeyword(ParameterType type) => NotebookApp.ParameterText.Keyword(ClrType(type));

    private static string Literal(string path, string name, ParameterType type, ParameterOverride given)
    {
        var value = given.Value;
        string Fail(string expected) => throw new ParameterException(
            $"{path}: parameter '{name}' expects {expected}, got {(value is null ? "null" : value.ToJsonString())} (from {given.Origin})");

        // Text from a command line: parsed as the declared type by the rules an exported app's command line uses too
        // (NotebookApp.ParameterText). A JSON value keeps its JSON type: a string only for a string parameter.
        if (given.IsText)
        {
            var parsed = NotebookApp.ParameterText.Parse((string)value!, ClrType(type), out var expected);
            return parsed is null ? Fail(expected) : LiteralOf(type, parsed);
        }
        switch (type)
        {
            case ParameterType.String:
                return value is JsonValue sv && sv.GetValueKind() == System.Text.Json.JsonValueKind.String
                    ? LiteralOf(type, sv.GetValue<string>()) : Fail("a string");
            case ParameterType.Bool:
                return value is JsonValue bv && bv.GetValueKind() is System.Text.Json.JsonValueKind.True or System.Text.Json.JsonValueKind.False
                    ? (bv.GetValueKind() == System.Text.Json.JsonValueKind.True ? "true" : "false") : Fail("true or false");
            case ParameterType.Int:
            case ParameterType.Long:
                if (!TryNumber(value, out var whole) || whole != Math.Floor(whole) || Math.Abs(whole) >= 9e15) return Fail($"a whole number ({CSharpKeyword(type)})");
                if (type == ParameterType.Int && (whole < int.MinValue || whole > int.MaxValue)) return Fail("a number that fits an int");
                return LiteralOf(type, (long)whole);
            default:
                if (!TryNumber(value, out var d)) return Fail($"a number ({CSharpKeyword(type)})");
                if (!double.IsFinite(d)) return Fail("a finite number");
                return LiteralOf(type, d);
        }
    }

    private static Type ClrType(ParameterType type) => type switch
    {
        ParameterType.Int => typeof(int), ParameterType.Long => typeof(long), ParameterType.Float => typeof(float),
        ParameterType.Double => typeof(double), ParameterType.Decimal => typeof(decimal), ParameterType.Bool => typeof(bool),
        _ => typeof(string),
    };

    /// <summary>A C# literal of the parameter's type for a value already checked.</summary>
    private static string LiteralOf(ParameterType type, object value)
    {
        var inv = CultureInfo.InvariantCulture;
        return type switch
        {
            ParameterType.String => SymbolDisplay.FormatLiteral((string)value, quote: true),
            ParameterType.Bool => (bool)value ? "true" : "false",
            ParameterType.Int => Convert.ToInt64(value, inv).ToString(inv),
            ParameterType.Long => Convert.ToInt64(value, inv).ToString(inv) + "L",
            ParameterType.Float => ((float)Convert.ToDouble(value, inv)).ToString("R", inv) + "f",
            ParameterType.Decimal => Convert.ToDecimal(value, inv).ToString(inv) + "m",
            _ => EnsureDoubleLiteral(Convert.ToDouble(value, inv).ToString("R", inv)),
        };
    }

    /// <summary>A JSON number, whatever .NET type backs it (a parsed file, or JsonValue.Create(7)).</summary>
    private static bool TryNumber(JsonNode? node, out double number)
    {
        number = 0;
        return node is JsonValue v && v.GetValueKind() == System.Text.Json.JsonValueKind.Number
            && double.TryParse(v.ToJsonString(), NumberStyles.Float, CultureInfo.InvariantCulture, out number);
    }

    private static string EnsureDoubleLiteral(string text) =>
        text.Contains('.') || text.Contains('E') || text.Contains('e') ? text : text + ".0";
}
