using System;
using System.Text;

namespace HealthGen.Generators.Helpers;

/// <summary>
/// Writes indented C# text. Emitting text (rather than SyntaxFactory trees normalized afterwards) keeps the
/// emitter fast and its output exactly as readable as we write it.
/// </summary>
internal sealed class SourceWriter
{
    private const int IndentSize = 4;
    private readonly StringBuilder _text = new();
    private int _indent;

    public SourceWriter Line(string line = "")
    {
        if (line.Length > 0)
        {
            _text.Append(' ', _indent * IndentSize);
            _text.Append(line);
        }

        _text.Append('\n');
        return this;
    }

    /// <summary>Writes <paramref name="header"/>, an opening brace and indents; dispose to close the block.</summary>
    public Block StartBlock(string header)
    {
        Line(header);
        Line("{");
        _indent++;
        return new Block(this, "}");
    }

    public override string ToString() => _text.ToString();

    internal readonly struct Block : IDisposable
    {
        private readonly SourceWriter _writer;
        private readonly string _closing;

        public Block(SourceWriter writer, string closing)
        {
            _writer = writer;
            _closing = closing;
        }

        public void Dispose()
        {
            _writer._indent--;
            _writer.Line(_closing);
        }
    }
}
