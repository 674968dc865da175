using System.Linq;

namespace HealthGen.Generators.Tests;

/// <summary>
/// Methods the generator cannot support produce no endpoint and never break the build of the rest
/// (the analyzers report why); the generator itself never throws on them.
/// </summary>
public sealed class InvalidMethodTests
{
    internal const string Source = """
        using System.Collections.Generic;
        using System.Threading.Tasks;
        using HealthGen;

        namespace App;

        public static class Checks
        {
            [LivenessCheck]
            public static bool Valid() => true;

            [LivenessCheck]
            private static bool PrivateMethod() => true;

            [LivenessCheck]
            public static bool GenericMethod<T>() => true;

            [LivenessCheck]
            public static int WrongReturnType() => 1;

            [LivenessCheck]
            public static Task<int> WrongTaskResult() => Task.FromResult(1);

            [LivenessCheck]
            public static async void AsyncVoid() { await Task.Yield(); }

            [ReadinessCheck]
            public static bool PrimitiveParameter(int port) => true;

            [ReadinessCheck]
            public static bool StringParameter(string host) => true;

            [ReadinessCheck]
            public static bool RefParameter(ref int value) => true;

            [ReadinessCheck]
            public static bool OutParameter(out int value) { value = 1; return true; }

            [ReadinessCheck]
            public static bool ParamsParameter(params object[] values) => true;

            [ReadinessCheck]
            public static bool StructParameter(System.DateTime now) => true;

            [ReadinessCheck("Bad Name")]
            public static bool InvalidName() => true;

            [ReadinessCheck("status")]
            public static bool ReservedName() => true;

            [ReadinessCheck(TimeoutMs = 0)]
            public static bool ZeroTimeout() => true;

            [ReadinessCheck(CacheMs = -5)]
            public static bool NegativeCache() => true;

            [ResolverCheck("no_kind")]
            public static bool ResolverWithoutKind() => true;

            [ResolverCheck("bad_kind", Kind = "LDAP Resolver")]
            public static bool ResolverWithInvalidKind() => true;

            [StartupCheck("duplicate")]
            public static bool DuplicateOne() => true;

            [StartupCheck("duplicate")]
            public static bool DuplicateTwo() => true;

            private static class Hidden
            {
                [LivenessCheck]
                public static bool InPrivateType() => true;
            }
        }

        public static class Generic<T>
        {
            [LivenessCheck]
            public static bool InGenericType() => true;
        }

        file static class FileLocal
        {
            [LivenessCheck]
            public static bool InFileLocalType() => true;
        }

        public struct ValueChecks
        {
            [LivenessCheck]
            public bool InstanceOnStruct() => true;
        }
        """;

    [Fact]
    public void Only_the_valid_check_is_generated_and_the_output_compiles()
    {
        GeneratorOutcome outcome = GeneratorHarness.Run(GeneratorHarness.CreateCompilation(Source));

        string catalog = outcome.Source("HealthGen.Catalog.g.cs");
        string[] registered = catalog.Split('\n')
            .Where(line => line.TrimStart().StartsWith("new global::HealthGen.HealthCheckRegistration(", System.StringComparison.Ordinal))
            .ToArray();
        Assert.Single(registered);
        Assert.Contains("\"valid\"", registered[0]);

        // The invalid methods are legal C#: with the generated code the whole project still builds cleanly.
        GeneratorHarness.AssertCompilesCleanly(outcome.Output);
    }
}
