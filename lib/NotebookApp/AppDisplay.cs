using System.Collections;
using System.Reflection;
using System.Text;
using Microsoft.AspNetCore.Html;
using Microsoft.DotNet.Interactive.Formatting;

namespace NotebookApp;

/// <summary>
/// <c>display</c> and <c>HTML</c> with the C# kernel's signatures, for an exported app (<c>using static
/// NotebookApp.AppDisplay;</c>): text and tables go to the console, values whose preferred form is HTML (charts)
/// become offline pages. A displayed value stays as it was shown, and its updates share one console line after it,
/// rewritten in place — as VS Code shows them with the kernel it installs, which gives a display's updates an output
/// of their own.
/// </summary>
public static class AppDisplay
{
    /// <summary>Shows <paramref name="value"/> now; the handle's <c>Update</c> shows the new value on a line after it.</summary>
    public static AppDisplayedValue display(object? value, params string[] mimeTypes)
    {
        ConsoleOutput.Show(new object(), Render(value));
        return new AppDisplayedValue();
    }

    /// <summary>Marks a string as HTML to display as it is.</summary>
    public static IHtmlContent HTML(string content) => new HtmlString(content);

    /// <summary>How a value reaches the console: its text, or a line naming the page it was written to.</summary>
    internal static string Render(object? value)
    {
        switch (value)
        {
            case null: return "<null>";
            case string s: return s;
            case IHtmlContent html: return $"(page) {AppHost.WritePage(html.ToString() ?? "", "HTML output")}";
        }
        var type = value.GetType();
        // A value with an HTML formatter of its own (a chart) is a page; the kernel's generic HTML (tables of
        // sequences and objects) reads better as text in a console.
        if (HasFormatter(type, HtmlFormatter.MimeType))
        {
            var title = value.ToDisplayString(PlainTextFormatter.MimeType);
            return $"{title} → {AppHost.WritePage(value.ToDisplayString(HtmlFormatter.MimeType), title)}";
        }
        if (HasFormatter(type, PlainTextFormatter.MimeType)) return value.ToDisplayString(PlainTextFormatter.MimeType);
        if (OverridesToString(type)) return value.ToString() ?? "";   // e.g. a DataFrame prints itself as a table
        if (value is IEnumerable items) return Table(items.Cast<object?>().ToList());
        return value.ToDisplayString(PlainTextFormatter.MimeType);
    }

    private static bool OverridesToString(Type type) =>
        type.GetMethod(nameof(ToString), Type.EmptyTypes)?.DeclaringType is { } declaring && declaring != typeof(object) && declaring != typeof(ValueType);

    /// <summary>True when a formatter was registered for this type (or a base type) itself, not the kernel's defaults.</summary>
    private static bool HasFormatter(Type type, string mimeType) =>
        Formatter.RegisteredFormatters().Any(f => f.MimeType == mimeType && f.Type != typeof(object) && f.Type.IsAssignableFrom(type)
                                                  && !typeof(IEnumerable).IsAssignableFrom(f.Type) && f.Type.Assembly != typeof(Formatter).Assembly);

    /// <summary>Rows of objects as a text table, one column per public property; simple values one per line.</summary>
    internal static string Table(IReadOnlyList<object?> rows)
    {
        if (rows.Count == 0) return "(empty)";
        var first = rows.First(r => r is not null);
        var properties = first is null || first is string || first.GetType().IsPrimitive ? [] :
            first.GetType().GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.GetIndexParameters().Length == 0).ToArray();
        if (properties.Length == 0) return string.Join(Environment.NewLine, rows.Select(r => Render(r)));
        var cells = rows.Select(r => properties.Select(p => Cell(r is null ? null : p.GetValue(r))).ToArray()).ToList();
        var widths = properties.Select((p, i) => Math.Max(p.Name.Length, cells.Max(c => c[i].Length))).ToArray();
        var text = new StringBuilder();
        text.AppendLine(string.Join("  ", properties.Select((p, i) => p.Name.PadLeft(widths[i]))));
        text.AppendLine(string.Join("  ", widths.Select(w => new string('-', w))));
        foreach (var row in cells) text.AppendLine(string.Join("  ", row.Select((c, i) => c.PadLeft(widths[i]))));
        return text.ToString().TrimEnd();
    }

    private static string Cell(object? value) => value switch
    {
        null => "",
        IFormattable f => f.ToString(null, System.Globalization.CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };
}

/// <summary>A displayed value: each <see cref="Update"/> replaces the one before it on one line, in place on a terminal.</summary>
public sealed class AppDisplayedValue
{
    public void Update(object? updatedValue) => ConsoleOutput.Show(this, AppDisplay.Render(updatedValue));
}

/// <summary>
/// The console while an app runs. On a terminal, a line shown for a handle is redrawn when the same handle shows
/// again; when the output goes to a file or a pipe, only its final state is written (before the next output, or at
/// exit), so logs hold no progress noise.
/// </summary>
internal static class ConsoleOutput
{
    private static readonly object Gate = new();
    private static TextWriter _out = Console.Out;
    private static object? _live;
    private static string? _pending;
    private static bool _installed;

    public static void Install()
    {
        lock (Gate)
        {
            if (_installed) return;
            _installed = true;
            _out = Console.Out;
            Console.SetOut(new Writer());
            AppDomain.CurrentDomain.ProcessExit += (_, _) => { lock (Gate) Settle(); _out.Flush(); };
        }
    }

    public static void Show(object handle, string text)
    {
        lock (Gate)
        {
            if (!_installed) { _out.WriteLine(text); return; }
            var interactive = !Console.IsOutputRedirected && !text.Contains('\n');
            if (ReferenceEquals(_live, handle))
            {
                if (interactive) _out.Write("\r\u001b[2K" + text);
                else _pending = text;
                return;
            }
            Settle();
            _live = handle;
            if (interactive) _out.Write(text);
            else _pending = text;
        }
    }

    /// <summary>Ends the live line: on a terminal a newline, otherwise the value's final state.</summary>
    private static void Settle()
    {
        if (_live is null) return;
        if (_pending is not null) _out.WriteLine(_pending);
        else _out.WriteLine();
        _live = null;
        _pending = null;
    }

    private sealed class Writer : TextWriter
    {
        public override Encoding Encoding => _out.Encoding;
        public override void Write(char value) { lock (Gate) { Settle(); _out.Write(value); } }
        public override void Write(string? value) { lock (Gate) { Settle(); _out.Write(value); } }
        public override void Write(char[] buffer, int index, int count) { lock (Gate) { Settle(); _out.Write(buffer, index, count); } }
        public override void Flush() { lock (Gate) _out.Flush(); }
    }
}
