using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Runtime.CompilerServices;
using System.Threading;
using HealthGen.Generators.Analysis;
using HealthGen.Generators.Helpers;
using HealthGen.Generators.Model;
using Microsoft.CodeAnalysis;

namespace HealthGen.Generators;

public sealed partial class HealthProbeGenerator
{
    /// <summary>
    /// Turns symbols into specs. A method that breaks any of <see cref="CheckRules"/> yields no spec: the
    /// generator emits nothing for it and the analyzers say why (HG0002–HG0008).
    /// </summary>
    internal static class Parser
    {
        public const string LivenessAttribute = CheckRules.LivenessAttribute;
        public const string ReadinessAttribute = CheckRules.ReadinessAttribute;
        public const string StartupAttribute = CheckRules.StartupAttribute;
        public const string ResolverAttribute = CheckRules.ResolverAttribute;
        public const string CatalogAttribute = "HealthGen.HealthCheckCatalogAttribute";
        public const string RegistrationType = "HealthGen.HealthCheckRegistration";
        public const string EndpointRouteBuilderType = "Microsoft.AspNetCore.Routing.IEndpointRouteBuilder";
        public const string HealthChecksBuilderType = "Microsoft.Extensions.DependencyInjection.IHealthChecksBuilder";
        public const int NotSet = CheckRules.NotSet;

        public static CheckSpec? ParseCheck(GeneratorAttributeSyntaxContext context, ProbeSpec probe, CancellationToken cancellationToken)
        {
            if (context.TargetSymbol is not IMethodSymbol method || context.Attributes.Length != 1)
            {
                return null;
            }

            cancellationToken.ThrowIfCancellationRequested();
            AttributeData attribute = context.Attributes[0];
            if (!CheckRules.IsSupported(method, attribute, probe) || CheckRules.ReturnShapeOf(method) is not { } returns)
            {
                return null;
            }

            SymbolCache symbols = SymbolCache.Of(context.SemanticModel.Compilation);
            var arguments = ImmutableArray.CreateBuilder<ArgumentSpec>(method.Parameters.Length);
            foreach (IParameterSymbol parameter in method.Parameters)
            {
                arguments.Add(ParseArgument(parameter, symbols));
            }

            // Not given: the option default (TimeoutMs, CacheMs) or the attribute's own (PeriodMs 0, FailureThreshold 1).
            int timeoutMs = NotSet, cacheMs = NotSet, periodMs = 0, failureThreshold = 1;
            foreach (KeyValuePair<string, TypedConstant> named in attribute.NamedArguments)
            {
                // DependsOn is an array (read below): its Value throws.
                if (named.Value.Kind != TypedConstantKind.Primitive || named.Value.Value is not int value)
                {
                    continue;
                }

                switch (named.Key)
                {
                    case "TimeoutMs":
                        timeoutMs = value;
                        break;
                    case "CacheMs":
                        cacheMs = value;
                        break;
                    case "PeriodMs":
                        periodMs = value;
                        break;
                    case "FailureThreshold":
                        failureThreshold = value;
                        break;
                }
            }

            string name = CheckRules.EffectiveName(attribute, method.Name);
            EquatableArray<ArgumentSpec> parameters = arguments.MoveToImmutable().ToEquatableArray();
            InstanceSpec? instance = method.IsStatic ? null : symbols.InstanceOf(method.ContainingType);
            return new CheckSpec(
                probe,
                name,
                probe == ProbeSpec.Resolver ? CheckRules.KindOf(attribute) : null,
                timeoutMs,
                cacheMs,
                periodMs,
                failureThreshold,
                CheckRules.ValidDependencies(attribute, name).ToEquatableArray(),
                symbols.NameOf(method.ContainingType),
                method.Name,
                returns,
                parameters,
                instance,
                InvocationOf(instance, parameters, returns));
        }

        /// <summary>
        /// A static, synchronous method without parameters is called inline on the request's thread (no scope, no
        /// timer, no thread-pool hop): it has no services to scope and no token to honour. A static method whose only
        /// parameter, if any, is the cancellation token takes nothing from the service provider: isolated, without a
        /// scope. Everything else runs isolated in its own scope (docs/probes.md, "Execution").
        /// </summary>
        public static InvocationSpec InvocationOf(InstanceSpec? instance, EquatableArray<ArgumentSpec> parameters, ReturnShape returns)
        {
            if (instance is not null)
            {
                return InvocationSpec.Isolated;
            }

            if (parameters.Count == 0 && returns is ReturnShape.Void or ReturnShape.Boolean or ReturnShape.HealthResult)
            {
                return InvocationSpec.Inline;
            }

            foreach (ArgumentSpec parameter in parameters)
            {
                if (parameter.Source != ArgumentSource.CancellationToken)
                {
                    return InvocationSpec.Isolated;
                }
            }

            return InvocationSpec.IsolatedWithoutScope;
        }

        /// <summary>How one parameter is supplied; the parameter has passed <see cref="CheckRules.ParameterProblem"/>.</summary>
        public static ArgumentSpec ParseArgument(IParameterSymbol parameter, SymbolCache cache)
        {
            ITypeSymbol type = parameter.Type;
            if (type.Is("System.Threading", "CancellationToken"))
            {
                return new ArgumentSpec(ArgumentSource.CancellationToken, cache.NameOf(type), parameter.Name, null);
            }

            if (type.Is("System", "IServiceProvider"))
            {
                return new ArgumentSpec(ArgumentSource.ServiceProvider, cache.NameOf(type), parameter.Name, null);
            }

            bool optional = parameter.NullableAnnotation == NullableAnnotation.Annotated
                || (parameter.HasExplicitDefaultValue && parameter.ExplicitDefaultValue is null);
            foreach (AttributeData attribute in parameter.GetAttributes())
            {
                if (attribute.AttributeClass.Is("Microsoft.Extensions.DependencyInjection", "FromKeyedServicesAttribute")
                    && attribute.ConstructorArguments.Length == 1
                    && CheckRules.ServiceKeyExpression(attribute.ConstructorArguments[0]) is { } key)
                {
                    return new ArgumentSpec(optional ? ArgumentSource.OptionalKeyedService : ArgumentSource.RequiredKeyedService, cache.NameOf(type), parameter.Name, key);
                }
            }

            return new ArgumentSpec(optional ? ArgumentSource.OptionalService : ArgumentSource.RequiredService, cache.NameOf(type), parameter.Name, null);
        }

        /// <summary>
        /// The instance a check method runs on: resolved from DI when registered, else constructed with the
        /// single public constructor. A type with none (or several) must be registered in DI.
        /// </summary>
        public static InstanceSpec ParseInstance(INamedTypeSymbol type, SymbolCache cache)
        {
            DisposeShape dispose = type.Implements("System", "IAsyncDisposable") ? DisposeShape.DisposeAsync
                : type.Implements("System", "IDisposable") ? DisposeShape.Dispose
                : DisposeShape.None;
            if (type.IsAbstract)
            {
                return new InstanceSpec(null, dispose);
            }

            IMethodSymbol[] constructors = type.InstanceConstructors.Where(static c => c.DeclaredAccessibility == Accessibility.Public).ToArray();
            if (constructors.Length != 1)
            {
                return new InstanceSpec(null, dispose);
            }

            var arguments = ImmutableArray.CreateBuilder<ArgumentSpec>(constructors[0].Parameters.Length);
            foreach (IParameterSymbol parameter in constructors[0].Parameters)
            {
                if (parameter.RefKind != RefKind.None || parameter.IsParams || parameter.Type.TypeKind == TypeKind.Error
                    || parameter.Type.Is("System.Threading", "CancellationToken") || CheckRules.ParameterProblem(parameter) is not null)
                {
                    return new InstanceSpec(null, dispose); // not constructible by us: DI must provide it
                }

                arguments.Add(ParseArgument(parameter, cache));
            }

            return new InstanceSpec(arguments.MoveToImmutable().ToEquatableArray(), dispose);
        }

        /// <summary>
        /// What the checks of one compilation share, computed once per compilation instead of once per check: the
        /// fully qualified names of types (a class's checks share it, and most checks take the same few services) and
        /// the <see cref="InstanceSpec"/> of a class. Every compilation re-runs the transform of every check (the
        /// symbols are new), so this is most of what the generator itself spends on an edit that touches no check.
        /// Keyed weakly by the compilation: it goes away with it.
        /// </summary>
        internal sealed class SymbolCache
        {
            private static readonly ConditionalWeakTable<Compilation, SymbolCache> s_caches = new();

            // Equal symbols (nullable annotations aside) have equal names in the format used, which omits annotations.
            private readonly ConcurrentDictionary<ITypeSymbol, string> _names = new(SymbolEqualityComparer.Default);
            private readonly ConcurrentDictionary<INamedTypeSymbol, InstanceSpec> _instances = new(SymbolEqualityComparer.Default);

            public static SymbolCache Of(Compilation compilation) => s_caches.GetValue(compilation, static _ => new SymbolCache());

            public string NameOf(ITypeSymbol type)
            {
                if (!_names.TryGetValue(type, out string? name))
                {
                    name = _names.GetOrAdd(type, type.ToFullyQualified());
                }

                return name;
            }

            public InstanceSpec InstanceOf(INamedTypeSymbol type)
            {
                if (!_instances.TryGetValue(type, out InstanceSpec? instance))
                {
                    instance = _instances.GetOrAdd(type, ParseInstance(type, this));
                }

                return instance;
            }
        }

        public static CompilationFacts ParseCompilation(Compilation compilation, CancellationToken cancellationToken)
        {
            INamedTypeSymbol? catalogAttribute = compilation.GetTypeByMetadataName(CatalogAttribute);
            bool hasRuntime = compilation.GetTypeByMetadataName(RegistrationType) is not null && catalogAttribute is not null;
            bool hasAspNetCore = compilation.GetTypeByMetadataName(EndpointRouteBuilderType) is not null;
            bool hasHealthChecks = compilation.GetTypeByMetadataName(HealthChecksBuilderType) is not null;

            var catalogs = new List<CatalogReference>();
            if (hasRuntime)
            {
                foreach (IAssemblySymbol assembly in compilation.SourceModule.ReferencedAssemblySymbols)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    foreach (AttributeData attribute in assembly.GetAttributes())
                    {
                        if (SymbolEqualityComparer.Default.Equals(attribute.AttributeClass, catalogAttribute)
                            && attribute.ConstructorArguments.Length == 1
                            && attribute.ConstructorArguments[0].Value is INamedTypeSymbol catalog
                            && catalog.DeclaredAccessibility == Accessibility.Public)
                        {
                            catalogs.Add(new CatalogReference(assembly.Identity.Name, catalog.ToFullyQualified()));
                        }
                    }
                }
            }

            catalogs.Sort(static (a, b) => string.CompareOrdinal(a.AssemblyName, b.AssemblyName));
            EquatableArray<CheckDeclaration> referencedChecks = hasRuntime ? ReferencedChecks.Of(compilation, cancellationToken).ToEquatableArray() : default;
            return new CompilationFacts(compilation.AssemblyName ?? "Assembly", hasRuntime, hasAspNetCore, catalogs.ToEquatableArray(), referencedChecks, hasHealthChecks);
        }

        /// <summary>
        /// Sorts the checks deterministically and drops every check whose name is used twice in one probe
        /// (or one resolver kind), in this compilation or by a referenced assembly: that is HG0004, an error, and
        /// emitting either would pick one silently. (A referenced assembly's check stays: its own catalog serves it.)
        /// Dependencies are not checked here: an unknown one (HG0010) or a cycle (HG0011) is a property of the whole
        /// application, dropping a check for it would leave its dependents' names dangling, and the runtime checks the
        /// composed checks again at start-up (docs/generator.md, "What it rejects").
        /// </summary>
        public static GenerationSpec Aggregate(CompilationFacts compilation, IEnumerable<CheckSpec> checks)
        {
            List<CheckSpec> all = checks.ToList();
            var counts = new Dictionary<(ProbeSpec, string?, string), int>();
            foreach (CheckSpec check in all)
            {
                var key = (check.Probe, check.Kind, check.Name);
                counts[key] = counts.TryGetValue(key, out int count) ? count + 1 : 1;
            }

            foreach (CheckDeclaration referenced in compilation.ReferencedChecks)
            {
                var key = (referenced.Probe, referenced.Kind, referenced.Name);
                if (counts.ContainsKey(key))
                {
                    counts[key]++;
                }
            }

            List<CheckSpec> unique = all.Where(c => counts[(c.Probe, c.Kind, c.Name)] == 1).ToList();
            unique.Sort(static (a, b) =>
            {
                int order = a.Probe.CompareTo(b.Probe);
                if (order == 0) order = string.CompareOrdinal(a.Kind, b.Kind);
                if (order == 0) order = string.CompareOrdinal(a.Name, b.Name);
                return order;
            });
            return new GenerationSpec(compilation, unique.ToEquatableArray());
        }
    }
}
