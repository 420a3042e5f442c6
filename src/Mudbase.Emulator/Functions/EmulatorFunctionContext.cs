using System.Text;
using System.Text.Json.Nodes;

namespace Mudbase.Emulator;

/// <summary>What a function's handler gets for one run: its input, its ids, and where to write its logs.</summary>
public sealed class EmulatorFunctionContext
{
    /// <summary>How much of each log a run keeps, in characters; the rest is cut and the logs marked truncated.</summary>
    public const int MaxLogLength = 64 * 1024;

    private readonly Lock _gate = new();
    private readonly StringBuilder _stdout = new();
    private readonly StringBuilder _stderr = new();
    private long _bytes;
    private bool _truncated;

    internal EmulatorFunctionContext(string projectId, string functionId, string executionId, JsonNode? payload)
    {
        ProjectId = projectId;
        FunctionId = functionId;
        ExecutionId = executionId;
        Payload = payload;
    }

    /// <summary>The project the function belongs to.</summary>
    public string ProjectId { get; }

    /// <summary>The function's id.</summary>
    public string FunctionId { get; }

    /// <summary>This run's id (a UUID).</summary>
    public string ExecutionId { get; }

    /// <summary>The payload the caller sent (a copy: change it freely); null when none was sent.</summary>
    public JsonNode? Payload { get; }

    /// <summary>Writes a line to the run's standard output (its <c>logs.stdout</c>).</summary>
    /// <param name="line">The line.</param>
    public void Log(string line) => Append(_stdout, line);

    /// <summary>Writes a line to the run's standard error (its <c>logs.stderr</c>).</summary>
    /// <param name="line">The line.</param>
    public void LogError(string line) => Append(_stderr, line);

    internal (string Stdout, string Stderr, bool Truncated, long Bytes) GetLogs()
    {
        lock (_gate)
        {
            return (_stdout.ToString(), _stderr.ToString(), _truncated, _bytes);
        }
    }

    private void Append(StringBuilder log, string line)
    {
        ArgumentNullException.ThrowIfNull(line);
        lock (_gate)
        {
            _bytes += Encoding.UTF8.GetByteCount(line) + 1;
            var room = MaxLogLength - log.Length;
            if (line.Length + 1 > room)
            {
                _truncated = true;
                log.Append(line.AsSpan(0, Math.Max(0, Math.Min(line.Length, room))));
                return;
            }

            log.Append(line).Append('\n');
        }
    }
}
