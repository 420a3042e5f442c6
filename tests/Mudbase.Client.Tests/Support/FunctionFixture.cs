using System.Text.Json;
using System.Text.Json.Serialization;

namespace Mudbase.Tests.Support;

/// <summary>A function's result of the caller's own type, read through its source-generated context.</summary>
public sealed record Quote(decimal Total, string Currency);

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(Quote))]
internal sealed partial class QuoteJsonContext : JsonSerializerContext;

/// <summary>Paths and canned answers of the functions contract (CONTRACT.md, Functions).</summary>
internal static class FunctionFixture
{
    public const string FunctionId = "685ad30be129932fbb7a5001";
    public const string ExecutionId = "3f2b8c1e-9d4a-4e6b-8f7c-2a1b0c9d8e7f";

    public static readonly string ListPath = $"/api/functions/projects/{Wire.ProjectId}/functions";
    public static readonly string FunctionPath = $"{ListPath}/{FunctionId}";
    public static readonly string ExecutePath = $"{FunctionPath}/execute";
    public static readonly string ExecutionPath = $"{FunctionPath}/executions/{ExecutionId}";

    public const string Queued = $$$"""{"success":true,"data":{"executionId":"{{{ExecutionId}}}","status":"queued"}}""";

    /// <summary>A run as getExecution answers it: outputs are null until the status is terminal.</summary>
    public static string Execution(string status, string? result = "null", string? error = null)
    {
        var ended = status is "success" or "failed" or "timeout";
        var logs = ended ? """{"stdout":"pricing 3 items\n","stderr":"","truncated":false,"bytes":16}""" : "null";
        var errorJson = error is null ? "null" : $"\"{error}\"";
        var errorClass = error is null ? "null" : "\"TypeError\"";
        return $$$"""{"success":true,"data":{"executionId":"{{{ExecutionId}}}","status":"{{{status}}}","durationMs":{{{(ended ? "1234" : "null")}}},"result":{{{result ?? "null"}}},"error":{{{errorJson}}},"errorClass":{{{errorClass}}},"logs":{{{logs}}},"machine":"m-1","createdAt":"2026-11-20T10:00:00.000Z","startedAt":"2026-11-20T10:00:00.250Z","completedAt":{{{(ended ? "\"2026-11-20T10:00:01.484Z\"" : "null")}}}}}""";
    }

    public const string FunctionJson =
        $$"""{"_id":"{{FunctionId}}","name":"quote","description":"Prices a cart","projectId":"685ad30be129932fbb7a1047","trigger":{"type":"http","path":"/quote","method":"POST"},"stats":{"totalExecutions":12,"successfulExecutions":10,"failedExecutions":2,"avgExecutionTime":340,"lastExecution":"2026-11-20T09:00:00.000Z"},"isActive":true,"createdBy":{"_id":"685ad30be129932fbb7a0001","name":"Ada","email":"ada@northwind.dev"},"createdAt":"2026-11-01T08:00:00.000Z","updatedAt":"2026-11-02T08:00:00.000Z"}""";
}
