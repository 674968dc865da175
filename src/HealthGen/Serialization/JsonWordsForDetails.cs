using System.Text.Json;

namespace HealthGen.Serialization;

/// <summary>The status words of a details body, per probe.</summary>
internal readonly record struct JsonWordsForDetails(JsonEncodedText Overall, JsonEncodedText Liveness, JsonEncodedText Readiness, JsonEncodedText Startup, JsonEncodedText Resolvers);
