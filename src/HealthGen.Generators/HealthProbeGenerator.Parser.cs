using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using HealthGen.Generators.Helpers;
using HealthGen.Generators.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace HealthGen.Generators;

public sealed partial class HealthProbeGenerator
{
    /// <summary>
    /// Turns symbols into specs. Every method returns <see langword="null"/> for input it cannot support:
    /// the generator then emits nothing for that method and the analyzers say why (HG0002–HG0008).
    /// </summary>
    internal static class Parser
    {
        public const string RuntimeNamespace = "HealthGen";
        public const string LivenessAttribute = "HealthGen.LivenessCheckAttribute";
        public const string ReadinessAttribute = "HealthGen.ReadinessCheckAttribute";
        public const string StartupAttribute = "HealthGen.StartupCheckAttribute";
        public const string ResolverAttribute = "HealthGen.ResolverCheckAttribute";
        public const string CatalogAttribute = "HealthGen.HealthCheckCatalogAttribute";
        public const string RegistrationType = "HealthGen.HealthCheckRegistration";
        public const string EndpointRouteBuilderType = "Microsoft.AspNetCore.Routing.IEndpointRouteBuilder";
        public const int NotSet = -1;

        public static CheckSpec? ParseCheck(GeneratorAttributeSyntaxContext context, ProbeSpec probe, CancellationToken cancellationToken)
        {
            if (context.TargetSymbol is not IMethodSymbol method || context.Attributes.Length != 1)
            {
                return null;
            }

            cancellationToken.ThrowIfCancellationRequested();
            if (ParseAttribute(context.Attributes[0], probe, method.Name) is not { } settings)
            {
                return null;
            }

            if (!IsSupportedMethod(method) || GetReturnShape(method) is not { } returns)
            {
                return null;
            }

            var arguments = ImmutableArray.CreateBuilder<ArgumentSpec>(method.Parameters.Length);
            foreach (IParameterSymbol parameter in method.Parameters)
            {
                if (ParseArgument(parameter) is not { } argument)
                {
                    return null;
                }

                arguments.Add(argument);
            }

            InstanceSpec? instance = method.IsStatic ? null : ParseInstance(method.ContainingType);

            return new CheckSpec(
                probe,
                settings.Name,
                settings.Kind,
                settings.TimeoutMs,
                settings.CacheMs,
                method.ContainingType.ToFullyQualified(),
                method.ContainingType.ToDisplayString(SymbolDisplayFormat.CSharpShortErrorMessageFormat),
                method.Name,
                returns,
                arguments.MoveToImmutable().ToEquatableArray(),
                instance);
        }

        /// <summary>The attribute's name, kind and settings, validated as HG0008 does.</summary>
        public static CheckSettings? ParseAttribute(AttributeData attribute, ProbeSpec probe, string methodName)
        {
            string? name = null;
            if (attribute.ConstructorArguments.Length == 1)
            {
                TypedConstant argument = attribute.ConstructorArguments[0];
                if (argument.Kind == TypedConstantKind.Error)
                {
                    return null;
                }

                name = argument.Value as string;
            }

            if (probe == ProbeSpec.Resolver && name is null)
            {
                return null; // a resolver's name is required
            }

            name ??= CheckNaming.DefaultName(methodName);
            int timeoutMs = NotSet, cacheMs = NotSet;
            string? kind = null;
            foreach (KeyValuePair<string, TypedConstant> named in attribute.NamedArguments)
            {
                switch (named.Key)
                {
                    case "TimeoutMs" when named.Value.Value is int value:
                        timeoutMs = value;
                        break;
                    case "CacheMs" when named.Value.Value is int value:
                        cacheMs = value;
                        break;
                    case "Kind":
                        kind = named.Value.Value as string;
                        break;
                    default:
                        return null;
                }
            }

            bool valid = CheckNaming.IsValid(name)
                && (timeoutMs == NotSet || timeoutMs > 0)
                && (cacheMs == NotSet || cacheMs >= 0)
                && (probe == ProbeSpec.Resolver ? CheckNaming.IsValid(kind) : kind is null);
            return valid ? new CheckSettings(name, probe == ProbeSpec.Resolver ? kind : null, timeoutMs, cacheMs) : null;
        }

        /// <summary>Static or instance, non-generic, reachable from generated code in the same assembly.</summary>
        public static bool IsSupportedMethod(IMethodSymbol method)
        {
            if (method.MethodKind != MethodKind.Ordinary || method.IsGenericMethod || method.IsAbstract
                || !SymbolExtensions.IsAccessibleWithinAssembly(method.DeclaredAccessibility))
            {
                return false;
            }

            INamedTypeSymbol type = method.ContainingType;
            if (!type.IsReachableFromGeneratedCode() || type.IsGenericAnywhere())
            {
                return false;
            }

            // Instance checks need an object the generated code can get: a class.
            return method.IsStatic || (type.TypeKind == TypeKind.Class && !type.IsStatic);
        }

        public static ReturnShape? GetReturnShape(IMethodSymbol method)
        {
            ITypeSymbol type = method.ReturnType;
            if (method.ReturnsVoid)
            {
                return method.IsAsync ? null : ReturnShape.Void; // async void cannot be awaited or observed
            }

            if (method.ReturnsByRef || method.ReturnsByRefReadonly)
            {
                return null;
            }

            if (type.SpecialType == SpecialType.System_Boolean)
            {
                return ReturnShape.Boolean;
            }

            if (IsHealthResult(type))
            {
                return ReturnShape.HealthResult;
            }

            const string tasks = "System.Threading.Tasks";
            if (type.Is(tasks, "Task"))
            {
                return ReturnShape.Task;
            }

            if (type.Is(tasks, "ValueTask"))
            {
                return ReturnShape.ValueTask;
            }

            if (type is INamedTypeSymbol { Arity: 1 } generic)
            {
                ITypeSymbol result = generic.TypeArguments[0];
                bool isTask = type.Is(tasks, "Task", 1);
                bool isValueTask = type.Is(tasks, "ValueTask", 1);
                if ((isTask || isValueTask) && result.SpecialType == SpecialType.System_Boolean)
                {
                    return isTask ? ReturnShape.TaskOfBoolean : ReturnShape.ValueTaskOfBoolean;
                }

                if ((isTask || isValueTask) && IsHealthResult(result))
                {
                    return isTask ? ReturnShape.TaskOfHealthResult : ReturnShape.ValueTaskOfHealthResult;
                }
            }

            return null;
        }

        /// <summary>How one parameter is supplied, or <see langword="null"/> when it cannot be (HG0002/HG0003).</summary>
        public static ArgumentSpec? ParseArgument(IParameterSymbol parameter)
        {
            if (parameter.RefKind != RefKind.None || parameter.IsParams)
            {
                return null;
            }

            ITypeSymbol type = parameter.Type;
            if (type.Is("System.Threading", "CancellationToken"))
            {
                return new ArgumentSpec(ArgumentSource.CancellationToken, type.ToFullyQualified(), parameter.Name, null);
            }

            if (!IsServiceType(type))
            {
                return null;
            }

            if (type.Is("System", "IServiceProvider"))
            {
                return new ArgumentSpec(ArgumentSource.ServiceProvider, type.ToFullyQualified(), parameter.Name, null);
            }

            bool optional = parameter.NullableAnnotation == NullableAnnotation.Annotated
                || (parameter.HasExplicitDefaultValue && parameter.ExplicitDefaultValue is null);

            foreach (AttributeData attribute in parameter.GetAttributes())
            {
                if (attribute.AttributeClass.Is("Microsoft.Extensions.DependencyInjection", "FromKeyedServicesAttribute"))
                {
                    if (attribute.ConstructorArguments.Length != 1 || ToKeyExpression(attribute.ConstructorArguments[0]) is not { } key)
                    {
                        return null;
                    }

                    return new ArgumentSpec(optional ? ArgumentSource.OptionalKeyedService : ArgumentSource.RequiredKeyedService, type.ToFullyQualified(), parameter.Name, key);
                }
            }

            return new ArgumentSpec(optional ? ArgumentSource.OptionalService : ArgumentSource.RequiredService, type.ToFullyQualified(), parameter.Name, null);
        }

        /// <summary>
        /// A type the container can hand out: a class, interface or delegate — not a primitive, string,
        /// object, array, pointer, struct, type parameter or unresolved type.
        /// </summary>
        public static bool IsServiceType(ITypeSymbol type)
        {
            if (type.TypeKind is not (TypeKind.Class or TypeKind.Interface or TypeKind.Delegate) || type.IsStatic)
            {
                return false;
            }

            if (type.SpecialType is SpecialType.System_String or SpecialType.System_Object)
            {
                return false;
            }

            return type is INamedTypeSymbol named && !named.IsUnboundGenericType;
        }

        /// <summary>
        /// The instance a check method runs on: resolved from DI when registered, else constructed with the
        /// single public constructor. A type with none (or several) must be registered in DI.
        /// </summary>
        public static InstanceSpec ParseInstance(INamedTypeSymbol type)
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
                if (ParseArgument(parameter) is not { } argument || argument.Source == ArgumentSource.CancellationToken)
                {
                    return new InstanceSpec(null, dispose); // not constructible by us: DI must provide it
                }

                arguments.Add(argument);
            }

            return new InstanceSpec(arguments.MoveToImmutable().ToEquatableArray(), dispose);
        }

        public static CompilationFacts ParseCompilation(Compilation compilation, CancellationToken cancellationToken)
        {
            INamedTypeSymbol? catalogAttribute = compilation.GetTypeByMetadataName(CatalogAttribute);
            bool hasRuntime = compilation.GetTypeByMetadataName(RegistrationType) is not null && catalogAttribute is not null;
            bool hasAspNetCore = compilation.GetTypeByMetadataName(EndpointRouteBuilderType) is not null;

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
            return new CompilationFacts(compilation.AssemblyName ?? "Assembly", hasRuntime, hasAspNetCore, catalogs.ToEquatableArray());
        }

        /// <summary>
        /// Sorts the checks deterministically and drops every check whose name is used twice in one probe
        /// (or one resolver kind): that is HG0004, an error, and emitting either would pick one silently.
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

        private static bool IsHealthResult(ITypeSymbol type) => type.Is(RuntimeNamespace, "HealthResult");

        /// <summary>A keyed-service key as a C# expression: string, number, char, bool, enum or typeof.</summary>
        private static string? ToKeyExpression(TypedConstant key)
        {
            switch (key.Kind)
            {
                case TypedConstantKind.Primitive when key.Value is string or bool or char or int or long or uint or ulong or short or ushort or byte or sbyte:
                    return key.ToCSharpString();
                case TypedConstantKind.Enum when key.Type is not null:
                    return $"({key.Type.ToFullyQualified()})({key.Value})";
                case TypedConstantKind.Type when key.Value is ITypeSymbol type:
                    return $"typeof({type.ToFullyQualified()})";
                default:
                    return null;
            }
        }
    }

    /// <summary>The validated values of a check attribute.</summary>
    internal sealed record CheckSettings(string Name, string? Kind, int TimeoutMs, int CacheMs);
}
