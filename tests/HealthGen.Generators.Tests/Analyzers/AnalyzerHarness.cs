using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Text;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Text;

namespace HealthGen.Generators.Tests.Analyzers;

/// <summary>
/// Runs analyzers over markup: <c>{|HG0001:text|}</c> expects that diagnostic on exactly that span and
/// <c>[|text|]</c> expects the analyzer's only diagnostic there. Every other diagnostic, and every
/// expected one that does not appear, fails the test. The code must compile without errors.
/// </summary>
internal static class AnalyzerHarness
{
    public static async Task<ImmutableArray<Diagnostic>> VerifyAsync<TAnalyzer>(string markup, Dictionary<string, string>? editorConfig = null)
        where TAnalyzer : DiagnosticAnalyzer, new()
    {
        var analyzer = new TAnalyzer();
        string defaultId = analyzer.SupportedDiagnostics.Length == 1 ? analyzer.SupportedDiagnostics[0].Id : "";
        (string source, List<(string Id, TextSpan Span)> expected) = Markup.Parse(markup, defaultId);

        ImmutableArray<Diagnostic> actual = await RunAsync(source, [analyzer], editorConfig);
        var actualSet = actual.Select(d => (d.Id, d.Location.SourceSpan)).OrderBy(d => d.SourceSpan.Start).ThenBy(d => d.Id).ToList();
        var expectedSet = expected.OrderBy(d => d.Span.Start).ThenBy(d => d.Id).ToList();
        if (!actualSet.SequenceEqual(expectedSet))
        {
            Assert.Fail($"Expected:\n{Describe(expectedSet, source)}\nActual:\n{string.Join("\n", actual.Select(d => $"  {d.Id} at {d.Location.SourceSpan} '{source.Substring(d.Location.SourceSpan.Start, d.Location.SourceSpan.Length)}': {d.GetMessage()}"))}");
        }

        return actual;
    }

    public static async Task<ImmutableArray<Diagnostic>> RunAsync(string source, ImmutableArray<DiagnosticAnalyzer> analyzers, Dictionary<string, string>? editorConfig = null)
    {
        CSharpCompilation compilation = GeneratorHarness.CreateCompilation(source, "AnalyzerTest", ExtraReferences);
        Diagnostic[] errors = compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).ToArray();
        Assert.True(errors.Length == 0, "The test code does not compile:\n" + string.Join("\n", errors.Select(e => e.ToString())));

        var options = new AnalyzerOptions([], new DictionaryConfigOptionsProvider(editorConfig ?? []));
        return await compilation.WithAnalyzers(analyzers, options).GetAnalyzerDiagnosticsAsync();
    }

    /// <summary>Dependency clients the tests use that are not part of the shared framework.</summary>
    public static IEnumerable<MetadataReference> ExtraReferences { get; } =
    [
        MetadataReference.CreateFromFile(typeof(System.DirectoryServices.Protocols.LdapConnection).Assembly.Location),
        MetadataReference.CreateFromFile(typeof(Npgsql.NpgsqlConnection).Assembly.Location),
    ];

    private static string Describe(IEnumerable<(string Id, TextSpan Span)> diagnostics, string source)
        => string.Join("\n", diagnostics.Select(d => $"  {d.Id} at {d.Span} '{source.Substring(d.Span.Start, d.Span.Length)}'"));
}

/// <summary>Parses <c>{|ID:text|}</c> and <c>[|text|]</c> spans out of test source.</summary>
internal static class Markup
{
    public static (string Source, List<(string Id, TextSpan Span)> Expected) Parse(string markup, string defaultId)
    {
        var source = new StringBuilder(markup.Length);
        var expected = new List<(string, TextSpan)>();
        var open = new Stack<(string Id, int Start)>();
        for (int i = 0; i < markup.Length; i++)
        {
            if (markup[i] == '{' && i + 1 < markup.Length && markup[i + 1] == '|')
            {
                int colon = markup.IndexOf(':', i + 2);
                open.Push((markup.Substring(i + 2, colon - i - 2), source.Length));
                i = colon;
            }
            else if (markup[i] == '[' && i + 1 < markup.Length && markup[i + 1] == '|')
            {
                open.Push((defaultId, source.Length));
                i++;
            }
            else if (markup[i] == '|' && i + 1 < markup.Length && (markup[i + 1] == '}' || markup[i + 1] == ']') && open.Count > 0)
            {
                (string id, int start) = open.Pop();
                expected.Add((id, TextSpan.FromBounds(start, source.Length)));
                i++;
            }
            else
            {
                source.Append(markup[i]);
            }
        }

        Assert.True(open.Count == 0, "Unclosed markup span.");
        return (source.ToString(), expected);
    }
}

/// <summary>.editorconfig values for every syntax tree, as the compiler would read them for [*.cs].</summary>
internal sealed class DictionaryConfigOptionsProvider(Dictionary<string, string> values) : AnalyzerConfigOptionsProvider
{
    private readonly DictionaryConfigOptions _options = new(values);

    public override AnalyzerConfigOptions GlobalOptions { get; } = new DictionaryConfigOptions([]);

    public override AnalyzerConfigOptions GetOptions(SyntaxTree tree) => _options;

    public override AnalyzerConfigOptions GetOptions(AdditionalText textFile) => GlobalOptions;

    private sealed class DictionaryConfigOptions(Dictionary<string, string> values) : AnalyzerConfigOptions
    {
        public override bool TryGetValue(string key, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out string? value)
            => values.TryGetValue(key, out value);
    }
}
