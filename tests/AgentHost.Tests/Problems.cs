using System.Net;
using System.Text.Json;

namespace Agents.AgentHost.Tests;

/// <summary>Asserts that a response is an RFC 9457 problem with the expected status.</summary>
public static class Problems
{
    public static async Task<JsonElement> AssertProblemAsync(this HttpResponseMessage response, HttpStatusCode status)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(status == response.StatusCode, $"Expected {(int)status}, got {(int)response.StatusCode}: {body}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonDocument.Parse(body).RootElement;
        Assert.Equal((int)status, problem.GetProperty("status").GetInt32());
        Assert.False(string.IsNullOrWhiteSpace(problem.GetProperty("title").GetString()));
        return problem;
    }

    public static string Detail(this JsonElement problem) =>
        problem.TryGetProperty("detail", out var detail) ? detail.GetString() ?? "" : "";
}
