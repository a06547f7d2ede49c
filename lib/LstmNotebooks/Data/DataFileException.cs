namespace LstmNotebooks.Data;

/// <summary>A data file that cannot be used; the message names the file and, where it applies, the line and column.</summary>
public sealed class DataFileException : Exception
{
    public DataFileException(string path, string message)
        : base($"{path}: {message}") => FilePath = path;

    public DataFileException(string path, int line, int column, string columnName, string message)
        : base($"{path}, line {line}, column {column} (\"{columnName}\"): {message}")
    {
        FilePath = path;
        Line = line;
        Column = column;
    }

    public string FilePath { get; }
    public int? Line { get; }
    public int? Column { get; }
}
