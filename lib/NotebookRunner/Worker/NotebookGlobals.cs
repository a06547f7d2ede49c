using Microsoft.AspNetCore.Html;
using Microsoft.DotNet.Interactive.Formatting;
using NotebookRunner.Execution;

namespace NotebookRunner.Worker;

/// <summary>
/// What a cell sees besides its own code, with the C# kernel's signatures: <c>display(value, mimeTypes)</c>
/// returning a handle with <c>Update(value)</c>, and <c>HTML(text)</c>. Anything a notebook calls here must also
/// exist in VS Code's Polyglot kernel, so nothing else is offered.
/// </summary>
public sealed class NotebookGlobals
{
    internal NotebookGlobals(EventSink sink) => Sink = sink;

    internal EventSink Sink { get; }

    /// <summary>Displays <paramref name="value"/> now, formatted for the given MIME types (or its preferred ones).</summary>
    public DisplayedValue display(object? value, params string[] mimeTypes)
    {
        var handle = new DisplayedValue(this, Guid.NewGuid().ToString("N"), mimeTypes);
        Sink.Send(new WorkerEvent.Displayed(Sink.CurrentPosition, handle.DisplayId, OutputFormatting.Format(value, mimeTypes)));
        return handle;
    }

    /// <summary>Shows output the kernel itself produces (not a value the notebook displays), already formatted.</summary>
    internal void Show(Dictionary<string, string> data) =>
        Sink.Send(new WorkerEvent.Displayed(Sink.CurrentPosition, Guid.NewGuid().ToString("N"), data));

    /// <summary>Marks a string as HTML to display as it is.</summary>
    public IHtmlContent HTML(string content) => new HtmlString(content);
}

/// <summary>A displayed output that can be replaced in place, e.g. by a training loop's progress.</summary>
public sealed class DisplayedValue
{
    private readonly NotebookGlobals _globals;

    internal DisplayedValue(NotebookGlobals globals, string displayId, string[] mimeTypes)
    {
        _globals = globals;
        DisplayId = displayId;
        MimeTypes = mimeTypes;
    }

    public string DisplayId { get; }
    public IReadOnlyCollection<string> MimeTypes { get; }

    public void Update(object? updatedValue) =>
        _globals.Sink.Send(new WorkerEvent.DisplayUpdated(DisplayId, OutputFormatting.Format(updatedValue, [.. MimeTypes])));
}

/// <summary>Formats values as the kernel does, with Microsoft.DotNet.Interactive.Formatting.</summary>
internal static class OutputFormatting
{
    public static Dictionary<string, string> Format(object? value, string[] mimeTypes)
    {
        var data = new Dictionary<string, string>();
        if (mimeTypes.Length > 0)
        {
            foreach (var mime in mimeTypes) data[mime] = value.ToDisplayString(mime);
            return data;
        }
        if (value is string text)
        {
            data[PlainTextFormatter.MimeType] = text;
            return data;
        }
        var preferred = value is null ? [] : Formatter.GetPreferredMimeTypesFor(value.GetType());
        var first = preferred.FirstOrDefault() ?? (value is IHtmlContent ? HtmlFormatter.MimeType : Formatter.DefaultMimeType);
        data[first] = value.ToDisplayString(first);
        if (!data.ContainsKey(PlainTextFormatter.MimeType))
            data[PlainTextFormatter.MimeType] = value is IHtmlContent ? "" : value.ToDisplayString(PlainTextFormatter.MimeType);
        return data;
    }
}
