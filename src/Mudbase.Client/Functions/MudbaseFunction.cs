using System.Text.Json.Nodes;

namespace Mudbase.Functions;

/// <summary>A function of a project, as <see cref="IMudbaseFunctions.ListAsync"/> and <see cref="IMudbaseFunctions.GetAsync"/> read it (its code is not sent).</summary>
public sealed class MudbaseFunction
{
    /// <summary>Creates a function, for tests and fakes of <see cref="IMudbaseFunctions"/>.</summary>
    /// <param name="id">Its id.</param>
    /// <param name="name">Its name.</param>
    /// <param name="projectId">Its project.</param>
    /// <param name="isActive">Whether it can be run.</param>
    /// <param name="description">Its description.</param>
    /// <param name="triggerType">What runs it (<c>http</c>, <c>event</c>, <c>cron</c>…).</param>
    /// <param name="trigger">Its whole trigger, as the server sent it.</param>
    /// <param name="stats">Its run counts, when the server sent them.</param>
    /// <param name="createdAt">When it was created.</param>
    /// <param name="updatedAt">When it was last changed.</param>
    public MudbaseFunction(
        string id, string name, string projectId, bool isActive, string? description = null, string? triggerType = null, JsonObject? trigger = null,
        FunctionStats? stats = null, DateTimeOffset? createdAt = null, DateTimeOffset? updatedAt = null)
    {
        ArgumentNullException.ThrowIfNull(id);
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(projectId);
        Id = id;
        Name = name;
        ProjectId = projectId;
        IsActive = isActive;
        Description = description;
        TriggerType = triggerType;
        Trigger = trigger;
        Stats = stats;
        CreatedAt = createdAt;
        UpdatedAt = updatedAt;
    }

    /// <summary>The function's id (the server's <c>_id</c>): what the other calls take.</summary>
    public string Id { get; }

    /// <summary>The function's name.</summary>
    public string Name { get; }

    /// <summary>The project it belongs to.</summary>
    public string ProjectId { get; }

    /// <summary>Whether it can be run: starting an inactive function is a <see cref="MudbaseNotFoundException"/>.</summary>
    public bool IsActive { get; }

    /// <summary>Its description, if any.</summary>
    public string? Description { get; }

    /// <summary>What runs it: <c>http</c>, <c>event</c>, <c>document</c>, <c>file</c>, <c>webhook</c>, <c>wallet</c>, <c>cron</c>, <c>messaging</c>, or a newer one.</summary>
    public string? TriggerType { get; }

    /// <summary>Its trigger as the server sent it (<c>{type, event?, schedule?, path?, method?, …}</c>); null when it sent none.</summary>
    public JsonObject? Trigger { get; }

    /// <summary>Its run counts, when the server sent them.</summary>
    public FunctionStats? Stats { get; }

    /// <summary>When it was created, when the server says.</summary>
    public DateTimeOffset? CreatedAt { get; }

    /// <summary>When it was last changed, when the server says.</summary>
    public DateTimeOffset? UpdatedAt { get; }

    /// <inheritdoc />
    public override string ToString() => $"MudbaseFunction {{ Id = {Id}, Name = {Name}, TriggerType = {TriggerType}, IsActive = {IsActive} }}";
}

/// <summary>A function's run counts. The server has two spellings (<c>successfulExecutions</c> and <c>successful</c>, …): both are read.</summary>
public sealed class FunctionStats
{
    /// <summary>Creates run counts, for tests and fakes.</summary>
    /// <param name="totalExecutions">Runs in all.</param>
    /// <param name="successfulExecutions">Runs that succeeded.</param>
    /// <param name="failedExecutions">Runs that failed.</param>
    /// <param name="lastExecutionAt">When it last ran.</param>
    public FunctionStats(long? totalExecutions, long? successfulExecutions, long? failedExecutions, DateTimeOffset? lastExecutionAt)
    {
        TotalExecutions = totalExecutions;
        SuccessfulExecutions = successfulExecutions;
        FailedExecutions = failedExecutions;
        LastExecutionAt = lastExecutionAt;
    }

    /// <summary>Runs in all, when the server says.</summary>
    public long? TotalExecutions { get; }

    /// <summary>Runs that succeeded, when the server says.</summary>
    public long? SuccessfulExecutions { get; }

    /// <summary>Runs that failed, when the server says.</summary>
    public long? FailedExecutions { get; }

    /// <summary>When it last ran, when the server says.</summary>
    public DateTimeOffset? LastExecutionAt { get; }

    /// <inheritdoc />
    public override string ToString() => $"FunctionStats {{ Total = {TotalExecutions}, Successful = {SuccessfulExecutions}, Failed = {FailedExecutions} }}";
}

/// <summary>One page of a project's functions, with the server's paging facts.</summary>
public sealed class FunctionPage : MudbasePage<MudbaseFunction>
{
    /// <summary>Creates a page, for tests and fakes.</summary>
    /// <param name="items">The functions on this page.</param>
    /// <param name="page">The page number, from 1.</param>
    /// <param name="pageSize">The page size the server applied.</param>
    /// <param name="total">How many functions match in all.</param>
    /// <param name="totalPages">How many pages there are at this size.</param>
    /// <param name="hasMore">Whether a page follows this one.</param>
    public FunctionPage(IReadOnlyList<MudbaseFunction> items, int page, int pageSize, long total, int totalPages, bool hasMore)
        : base(items, page, pageSize, total, totalPages, hasMore)
    {
    }
}
