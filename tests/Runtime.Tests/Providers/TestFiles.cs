using System.Text.Json.Nodes;

namespace Agents.Runtime.Tests.Providers;

/// <summary>Recorded payloads in TestData/Providers, copied beside the test assembly.</summary>
public static class TestFiles
{
    public static string Read(string name) => File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "TestData", "Providers", name));

    /// <summary>Asserts two JSON documents are equal, ignoring formatting and property order.</summary>
    public static void AssertJsonEqual(string expected, string actual)
    {
        var expectedNode = JsonNode.Parse(expected);
        var actualNode = JsonNode.Parse(actual);
        Assert.True(JsonNode.DeepEquals(expectedNode, actualNode),
            $"Expected:{Environment.NewLine}{expectedNode?.ToJsonString()}{Environment.NewLine}Actual:{Environment.NewLine}{actualNode?.ToJsonString()}");
    }
}
