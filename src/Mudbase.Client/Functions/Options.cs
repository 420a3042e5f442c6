namespace Mudbase.Functions;

/// <summary>What <see cref="IMudbaseFunctions.ListAsync"/> asks for: a page, and optional filters.</summary>
public sealed class FunctionListOptions
{
    /// <summary>The page, from 1 (default 1).</summary>
    public int Page { get; set; } = 1;

    /// <summary>Functions per page, 1 to 100 (default 20).</summary>
    public int Limit { get; set; } = 20;

    /// <summary>Text the functions' names or descriptions contain; null for all.</summary>
    public string? Search { get; set; }

    /// <summary>Only functions with this trigger type (<c>http</c>, <c>cron</c>…); null for all.</summary>
    public string? TriggerType { get; set; }

    /// <summary>Only active (true) or inactive (false) functions; null for both.</summary>
    public bool? IsActive { get; set; }

    /// <summary>The project; when null, <see cref="MudbaseClientOptions.ProjectId"/>.</summary>
    public string? ProjectId { get; set; }

    /// <inheritdoc />
    public override string ToString() =>
        $"FunctionListOptions {{ Page = {Page}, Limit = {Limit}, Search = {Search}, TriggerType = {TriggerType}, IsActive = {IsActive}, ProjectId = {ProjectId} }}";
}

/// <summary>
/// How <see cref="IMudbaseFunctions.WaitAsync"/> and <see cref="IMudbaseFunctions.InvokeAsync(string, System.Text.Json.Nodes.JsonNode?, FunctionWaitOptions?, CancellationToken)"/>
/// wait for a run: they poll its status, first after <see cref="PollInterval"/>, each wait twice the one before up to
/// <see cref="MaxPollInterval"/>, and give up after <see cref="Timeout"/>.
/// </summary>
public sealed class FunctionWaitOptions
{
    /// <summary>The first wait before polling (default 0.5 seconds); each later wait doubles, up to <see cref="MaxPollInterval"/>.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>The longest wait between two polls (default 5 seconds); not less than <see cref="PollInterval"/>.</summary>
    public TimeSpan MaxPollInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// How long to wait in all (default 5 minutes; <see cref="System.Threading.Timeout.InfiniteTimeSpan"/> for no limit). Then
    /// the wait throws <see cref="MudbaseFunctionTimeoutException"/> with the last status seen; the run itself goes on, and
    /// can be waited for again.
    /// </summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromMinutes(5);

    /// <inheritdoc />
    public override string ToString() => $"FunctionWaitOptions {{ PollInterval = {PollInterval}, MaxPollInterval = {MaxPollInterval}, Timeout = {Timeout} }}";
}
