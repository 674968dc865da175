using System.Collections.Immutable;
using System.Composition;
using System.Threading;
using System.Threading.Tasks;
using HealthGen.Generators.Diagnostics;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace HealthGen.CodeFixes;

/// <summary>
/// HG0012: removes <c>CacheMs = …</c> from a background check's attribute. The value has no effect (probes read the
/// check's last result), so removing it changes nothing but what the code claims.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(RemoveCacheMsCodeFixProvider)), Shared]
public sealed class RemoveCacheMsCodeFixProvider : CodeFixProvider
{
    private const string Title = "Remove CacheMs";

    /// <inheritdoc/>
    public override ImmutableArray<string> FixableDiagnosticIds { get; } = [DiagnosticIds.CacheOnBackgroundCheck];

    /// <inheritdoc/>
    public override FixAllProvider GetFixAllProvider() => WellKnownFixAllProviders.BatchFixer;

    /// <inheritdoc/>
    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        SyntaxNode? root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
        if (root?.FindNode(context.Span, getInnermostNodeForTie: true)?.FirstAncestorOrSelf<AttributeArgumentSyntax>() is not
            { NameEquals.Name.Identifier.ValueText: "CacheMs", Parent: AttributeArgumentListSyntax } argument)
        {
            return;
        }

        context.RegisterCodeFix(
            CodeAction.Create(Title, cancellationToken => RemoveAsync(context.Document, root, argument, cancellationToken), equivalenceKey: Title),
            context.Diagnostics);
    }

    private static Task<Document> RemoveAsync(Document document, SyntaxNode root, AttributeArgumentSyntax argument, CancellationToken cancellationToken)
    {
        // Removing from the separated list takes one comma with the argument, so the rest stays well formed.
        var arguments = (AttributeArgumentListSyntax)argument.Parent!;
        cancellationToken.ThrowIfCancellationRequested();
        return Task.FromResult(document.WithSyntaxRoot(root.ReplaceNode(arguments, arguments.WithArguments(arguments.Arguments.Remove(argument)))));
    }
}
