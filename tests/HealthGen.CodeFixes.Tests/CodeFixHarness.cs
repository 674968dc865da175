using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using HealthGen.Generators.Tests;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Text;

namespace HealthGen.CodeFixes.Tests;

/// <summary>
/// Applies a code fix (or Fix All in the document) in an AdhocWorkspace, the way the IDE does, and checks
/// the result: the expected text, zero compiler errors, and the rule no longer reported.
/// </summary>
internal static class CodeFixHarness
{
    public static async Task VerifyAsync<TAnalyzer, TFix>(string source, string expected, bool fixAll = false)
        where TAnalyzer : DiagnosticAnalyzer, new()
        where TFix : CodeFixProvider, new()
    {
        var analyzer = new TAnalyzer();
        var fix = new TFix();
        Document document = CreateDocument(source);
        ImmutableArray<Diagnostic> diagnostics = await DiagnosticsAsync(document, analyzer);
        Assert.True(diagnostics.Length > 0, "The source has no diagnostic to fix.");

        CodeAction action = fixAll
            ? await FixAllAsync(document, fix, diagnostics)
            : await SingleFixAsync(document, fix, diagnostics[0]);

        ImmutableArray<CodeActionOperation> operations = await action.GetOperationsAsync(CancellationToken.None);
        Solution changed = operations.OfType<ApplyChangesOperation>().Single().ChangedSolution;
        Document fixedDocument = changed.GetDocument(document.Id)!;
        string actual = (await fixedDocument.GetTextAsync()).ToString();
        Assert.Equal(expected.ReplaceLineEndings("\n"), actual.ReplaceLineEndings("\n"));

        Compilation compilation = (await fixedDocument.Project.GetCompilationAsync())!;
        Diagnostic[] errors = compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).ToArray();
        Assert.True(errors.Length == 0, "The fixed code does not compile:\n" + string.Join("\n", errors.Select(e => e.ToString())));

        ImmutableArray<Diagnostic> remaining = await DiagnosticsAsync(fixedDocument, analyzer);
        if (fixAll)
        {
            Assert.Empty(remaining);
        }
        else
        {
            Assert.Equal(diagnostics.Length - 1, remaining.Length);
        }
    }

    /// <summary>Whether the fix offers an action for the first diagnostic (some forms are not mechanical).</summary>
    public static async Task<bool> OffersFixAsync<TAnalyzer, TFix>(string source)
        where TAnalyzer : DiagnosticAnalyzer, new()
        where TFix : CodeFixProvider, new()
    {
        Document document = CreateDocument(source);
        ImmutableArray<Diagnostic> diagnostics = await DiagnosticsAsync(document, new TAnalyzer());
        Assert.NotEmpty(diagnostics);
        var actions = new List<CodeAction>();
        await new TFix().RegisterCodeFixesAsync(new CodeFixContext(document, diagnostics[0], (action, _) => actions.Add(action), CancellationToken.None));
        return actions.Count > 0;
    }

    private static Document CreateDocument(string source)
    {
        var workspace = new AdhocWorkspace();
        ProjectInfo project = ProjectInfo.Create(
                ProjectId.CreateNewId(), VersionStamp.Default, "Fixes", "Fixes", LanguageNames.CSharp,
                compilationOptions: new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable),
                parseOptions: GeneratorHarness.ParseOptions,
                metadataReferences: GeneratorHarness.References.Add(MetadataReference.CreateFromFile(typeof(Npgsql.NpgsqlConnection).Assembly.Location)));
        Project added = workspace.AddProject(project);
        return workspace.AddDocument(added.Id, "Checks.cs", SourceText.From(source));
    }

    private static async Task<ImmutableArray<Diagnostic>> DiagnosticsAsync(Document document, DiagnosticAnalyzer analyzer)
    {
        Compilation compilation = (await document.Project.GetCompilationAsync())!;
        Diagnostic[] errors = compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).ToArray();
        Assert.True(errors.Length == 0, "The code does not compile:\n" + string.Join("\n", errors.Select(e => e.ToString())));
        ImmutableArray<Diagnostic> diagnostics = await compilation.WithAnalyzers([analyzer]).GetAnalyzerDiagnosticsAsync();
        return diagnostics.OrderBy(d => d.Location.SourceSpan.Start).ToImmutableArray();
    }

    private static async Task<CodeAction> SingleFixAsync(Document document, CodeFixProvider fix, Diagnostic diagnostic)
    {
        var actions = new List<CodeAction>();
        await fix.RegisterCodeFixesAsync(new CodeFixContext(document, diagnostic, (action, _) => actions.Add(action), CancellationToken.None));
        return Assert.Single(actions);
    }

    private static async Task<CodeAction> FixAllAsync(Document document, CodeFixProvider fix, ImmutableArray<Diagnostic> diagnostics)
    {
        CodeAction first = await SingleFixAsync(document, fix, diagnostics[0]);
        var context = new FixAllContext(
            document, fix, FixAllScope.Document, first.EquivalenceKey,
            fix.FixableDiagnosticIds, new FixedDiagnostics(diagnostics), CancellationToken.None);
        CodeAction? action = await fix.GetFixAllProvider()!.GetFixAsync(context);
        return action ?? throw new InvalidOperationException("Fix All produced no action.");
    }

    private sealed class FixedDiagnostics(ImmutableArray<Diagnostic> diagnostics) : FixAllContext.DiagnosticProvider
    {
        public override Task<IEnumerable<Diagnostic>> GetAllDiagnosticsAsync(Project project, CancellationToken cancellationToken) => Task.FromResult<IEnumerable<Diagnostic>>(diagnostics);

        public override Task<IEnumerable<Diagnostic>> GetDocumentDiagnosticsAsync(Document document, CancellationToken cancellationToken) => Task.FromResult<IEnumerable<Diagnostic>>(diagnostics);

        public override Task<IEnumerable<Diagnostic>> GetProjectDiagnosticsAsync(Project project, CancellationToken cancellationToken) => Task.FromResult<IEnumerable<Diagnostic>>([]);
    }
}
