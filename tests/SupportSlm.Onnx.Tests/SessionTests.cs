using SupportSlm.Onnx.Model;

namespace SupportSlm.Onnx.Tests;

/// <summary>Session options, run variants and IO binding on y = softmax(x · W).</summary>
public sealed class SessionTests
{
    private const int Rows = 3, In = 8, Out = 5;
    private readonly float[] w = Data.Random(In * Out, seed: 40);

    [Fact]
    public void Options_are_applied_and_every_optimization_level_gives_the_same_answer()
    {
        var x = Data.Random(Rows * In, seed: 41);
        var expected = Expected(x);
        foreach (var level in Enum.GetValues<GraphOptimizationLevel>())
        {
            var options = new SessionOptions
            {
                IntraOpThreads = 2,
                InterOpThreads = 1,
                OptimizationLevel = level,
                LogLevel = OrtLoggingLevel.Error,
                ConfigEntries = new Dictionary<string, string> { ["session.disable_prepacking"] = "1" },
            };
            using var session = Data.Session(Graph(), options);
            using var input = OrtValue.CreateTensor(x, Rows, In);
            using var result = session.Run(new Dictionary<string, OrtValue> { ["x"] = input });
            Assert.Equal(["y"], result.Names);
            Data.AssertClose(expected, result["y"].GetTensorData<float>(), 1e-5f, level.ToString());
        }

        Assert.Throws<OnnxRuntimeException>(() => Data.Session(Graph(), new SessionOptions { IntraOpThreads = -3 }).Dispose());
    }

    [Fact]
    public void Session_from_file_reports_symbolic_metadata()
    {
        var path = Path.Combine(Path.GetTempPath(), $"supportslm-{Guid.NewGuid():N}.onnx");
        try
        {
            Graph().Save(path);
            using var session = InferenceSession.FromFile(path);
            var input = Assert.Single(session.Inputs);
            Assert.Equal(("x", OnnxValueType.Tensor, TensorElementType.Float), (input.Name, input.ValueType, input.ElementType));
            Assert.Equal([-1L, In], input.Shape);
            Assert.Equal(["rows", null], input.SymbolicDimensions);
            Assert.Equal("x: Float[rows, 8]", input.ToString());
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Run_into_preallocated_outputs_writes_the_callers_buffer()
    {
        using var session = Data.Session(Graph());
        var x = Data.Random(Rows * In, seed: 42);
        var y = new float[Rows * Out];
        using var input = OrtValue.CreateTensor(x, Rows, In);
        using var output = OrtValue.CreateTensor(y, Rows, Out);
        session.Run(["x"], [input], ["y"], [output]);
        Data.AssertClose(Expected(x), y, 1e-5f);
    }

    [Fact]
    public void IoBinding_runs_with_bound_inputs_and_cpu_or_preallocated_outputs()
    {
        using var session = Data.Session(Graph());
        using var binding = session.CreateIoBinding();
        var x1 = Data.Random(Rows * In, seed: 43);
        using var input1 = OrtValue.CreateTensor(x1, Rows, In);
        binding.BindInput("x", input1);
        binding.BindOutputToCpu("y");
        session.RunWithBinding(binding);
        var outputs = binding.GetOutputValues();
        Assert.Single(outputs);
        Data.AssertClose(Expected(x1), outputs[0].GetTensorData<float>(), 1e-5f);
        outputs[0].Dispose();

        var x2 = Data.Random(Rows * In, seed: 44);
        var y = new float[Rows * Out];
        using var input2 = OrtValue.CreateTensor(x2, Rows, In);
        using var output = OrtValue.CreateTensor(y, Rows, Out);
        binding.ClearBoundInputs();
        binding.ClearBoundOutputs();
        binding.BindInput("x", input2);
        binding.BindOutput("y", output);
        session.RunWithBinding(binding);
        Data.AssertClose(Expected(x2), y, 1e-5f);

        Assert.Throws<OnnxRuntimeException>(() => binding.BindInput("nope", input2));
    }

    [Fact]
    public void Terminated_run_options_stop_the_run_with_an_ort_error()
    {
        using var session = Data.Session(Graph());
        using var input = OrtValue.CreateTensor(Data.Random(Rows * In, seed: 45), Rows, In);
        using var options = new RunOptions();
        options.AddConfigEntry("memory.enable_memory_arena_shrinkage", "cpu:0");
        using (session.Run(["x"], [input], ["y"], options))
        {
        }

        options.Terminate();
        var error = Assert.Throws<OnnxRuntimeException>(() => session.Run(["x"], [input], ["y"], options));
        Assert.Contains("terminate", error.Message, StringComparison.OrdinalIgnoreCase);
    }

    private OnnxGraphBuilder Graph()
    {
        var g = new OnnxGraphBuilder();
        var x = g.Input("x", TensorElementType.Float, "rows", In);
        g.Node("Softmax", [g.MatMul(x, g.Initializer("w", w, In, Out))], outputs: ["y"], attributes: OnnxAttribute.Int("axis", -1));
        g.Output("y", TensorElementType.Float, "rows", Out);
        return g;
    }

    private float[] Expected(float[] x) => Reference.Softmax(Reference.MatMul(x, w, Rows, In, Out), Rows, Out);
}
