namespace HealthGen.Generators.Model;

/// <summary>The supported return shapes of a check method (docs/getting-started.md, "Return types").</summary>
internal enum ReturnShape
{
    Void,
    Boolean,
    HealthResult,
    Task,
    TaskOfBoolean,
    TaskOfHealthResult,
    ValueTask,
    ValueTaskOfBoolean,
    ValueTaskOfHealthResult,
}
