using Google.Protobuf;
using SupportSlm.Onnx.Protobuf;

namespace SupportSlm.Onnx.Model;

/// <summary>
/// Builds an ONNX model value by value: declare inputs, add initializers and nodes (each returns the name of the value
/// it produces, to feed into the next node), mark outputs, then <see cref="Build"/>. Typed helpers for common ops
/// live in <see cref="OnnxOps"/>; <see cref="Node"/> covers every other op.
/// </summary>
public sealed class OnnxGraphBuilder
{
    /// <summary>The contrib-op domain of ONNX Runtime (MatMulNBits, GroupQueryAttention, RotaryEmbedding, ...).</summary>
    public const string MicrosoftDomain = "com.microsoft";

    private readonly GraphProto graph;
    private readonly Dictionary<string, long> opsets = new(StringComparer.Ordinal);
    private readonly HashSet<string> names = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> counters = new(StringComparer.Ordinal);

    /// <param name="graphName">Name stored in the graph.</param>
    /// <param name="opset">Version of the default (ai.onnx) operator set; 23 brings Attention, RMSNormalization, RotaryEmbedding.</param>
    public OnnxGraphBuilder(string graphName = "main", long opset = 23)
    {
        graph = new GraphProto { Name = graphName };
        opsets[""] = opset;
    }

    /// <summary>ONNX IR version written into the model (ORT 1.30 accepts up to 13; 10 pairs with opset ≤ 21, 11 with 23).</summary>
    public long IrVersion { get; set; } = 11;

    public string ProducerName { get; set; } = "SupportSlm";

    public string ProducerVersion { get; set; } = typeof(OnnxGraphBuilder).Assembly.GetName().Version?.ToString() ?? "0";

    /// <summary>Model-level key/value metadata (ORT exposes it as custom metadata).</summary>
    public IDictionary<string, string> Metadata { get; } = new Dictionary<string, string>(StringComparer.Ordinal);

    /// <summary>Imports (or re-versions) an operator set, e.g. <c>UseOpset(MicrosoftDomain, 1)</c>.</summary>
    public OnnxGraphBuilder UseOpset(string domain, long version)
    {
        opsets[domain] = version;
        return this;
    }

    /// <summary>Declares a graph input.</summary>
    public string Input(string name, TensorElementType type, params Dim[] shape)
    {
        Claim(name);
        graph.Input.Add(ValueInfo(name, type, shape));
        return name;
    }

    /// <summary>Declares an existing value (produced by a node, an input or an initializer) as a graph output.</summary>
    public string Output(string name, TensorElementType type, params Dim[] shape)
    {
        if (string.IsNullOrEmpty(name) || !names.Contains(name))
        {
            throw new OnnxRuntimeException(OrtErrorCode.InvalidGraph, $"Graph output '{name}' is not produced by any node, input or initializer.");
        }

        graph.Output.Add(ValueInfo(name, type, shape));
        return name;
    }

    /// <summary>Records the type of an intermediate value (optional; helps readers and shape inference).</summary>
    public void Annotate(string name, TensorElementType type, params Dim[] shape) => graph.ValueInfo.Add(ValueInfo(name, type, shape));

    /// <summary>Adds a constant tensor (float, Half, BFloat16, sbyte, byte, int, long, bool, ...).</summary>
    public string Initializer<T>(string name, ReadOnlySpan<T> data, params long[] dims) where T : unmanaged
    {
        Claim(name);
        graph.Initializer.Add(OnnxTensors.Create(name, data, dims));
        return name;
    }

    /// <inheritdoc cref="Initializer{T}(string, ReadOnlySpan{T}, long[])"/>
    public string Initializer<T>(string name, T[] data, params long[] dims) where T : unmanaged => Initializer(name, data.AsSpan(), dims);

    /// <summary>An int64 vector constant (shapes, axes, perms) with a generated name.</summary>
    public string Int64s(params long[] values) => Initializer(Fresh("const"), values.AsSpan(), values.Length);

    /// <summary>An int64 scalar constant with a generated name.</summary>
    public string Int64Scalar(long value) => Initializer(Fresh("const"), new[] { value }.AsSpan());

    /// <summary>
    /// A graph input that also has a default value (an initializer of the same name): callers may feed it, and
    /// ORT LoRA adapters override it by name. Declare the input's shape with symbols where adapters differ (e.g. rank).
    /// </summary>
    public string InputWithDefault<T>(string name, ReadOnlySpan<T> defaultData, long[] defaultDims, params Dim[] declaredShape) where T : unmanaged
    {
        Claim(name);
        graph.Input.Add(ValueInfo(name, TensorElementTypes.Of<T>(), declaredShape));
        graph.Initializer.Add(OnnxTensors.Create(name, defaultData, defaultDims));
        return name;
    }

    /// <summary>Adds a node. Inputs may be "" for omitted optional inputs. Returns its output names: the given
    /// <paramref name="outputs"/>, or <paramref name="outputCount"/> generated ones.</summary>
    public string[] Node(string opType, IReadOnlyList<string> inputs, int outputCount = 1, string domain = "", string? name = null,
        IReadOnlyList<string>? outputs = null, params AttributeProto[] attributes)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(opType);
        if (!opsets.ContainsKey(domain))
        {
            throw new OnnxRuntimeException(OrtErrorCode.InvalidGraph,
                $"Node {opType} uses domain '{domain}', which is not imported; call UseOpset(\"{domain}\", version) first.");
        }

        foreach (var input in inputs)
        {
            if (input.Length > 0 && !names.Contains(input))
            {
                throw new OnnxRuntimeException(OrtErrorCode.InvalidGraph, $"Node {opType} reads '{input}', which nothing defines yet.");
            }
        }

        var outputNames = outputs?.ToArray() ?? Enumerable.Range(0, outputCount).Select(i => Fresh($"{opType}_out{i}")).ToArray();
        foreach (var output in outputNames.Where(o => o.Length > 0))
        {
            Claim(output);
        }

        var node = new NodeProto { OpType = opType, Name = name ?? Fresh(opType) };
        if (domain.Length > 0)
        {
            node.Domain = domain;
        }

        node.Input.AddRange(inputs);
        node.Output.AddRange(outputNames);
        node.Attribute.AddRange(attributes);
        graph.Node.Add(node);
        return outputNames;
    }

    /// <summary>A single-output node in the default domain.</summary>
    public string Op(string opType, IReadOnlyList<string> inputs, params AttributeProto[] attributes) =>
        Node(opType, inputs, attributes: attributes)[0];

    /// <summary>A name not used in this graph yet, derived from <paramref name="prefix"/>.</summary>
    public string Fresh(string prefix)
    {
        counters.TryGetValue(prefix, out var next);
        string candidate;
        do
        {
            candidate = $"{prefix}_{next++}";
        }
        while (names.Contains(candidate));

        counters[prefix] = next;
        return candidate;
    }

    public ModelProto Build()
    {
        if (graph.Output.Count == 0)
        {
            throw new OnnxRuntimeException(OrtErrorCode.InvalidGraph, "The graph has no outputs; call Output(...) for at least one value.");
        }

        var model = new ModelProto
        {
            IrVersion = IrVersion,
            ProducerName = ProducerName,
            ProducerVersion = ProducerVersion,
            Graph = graph.Clone(),
        };
        foreach (var (domain, version) in opsets)
        {
            model.OpsetImport.Add(new OperatorSetIdProto { Domain = domain, Version = version });
        }

        foreach (var (key, value) in Metadata)
        {
            model.MetadataProps.Add(new StringStringEntryProto { Key = key, Value = value });
        }

        return model;
    }

    public byte[] ToBytes() => Build().ToByteArray();

    public void Save(string path) => OnnxModelFile.Save(Build(), path);

    internal static ValueInfoProto ValueInfo(string name, TensorElementType type, IEnumerable<Dim> shape)
    {
        var tensorShape = new TensorShapeProto();
        foreach (var dim in shape)
        {
            tensorShape.Dim.Add(dim.Symbol is { } symbol
                ? new TensorShapeProto.Types.Dimension { DimParam = symbol }
                : new TensorShapeProto.Types.Dimension { DimValue = dim.Size!.Value });
        }

        return new ValueInfoProto
        {
            Name = name,
            Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = (int)type, Shape = tensorShape } },
        };
    }

    private void Claim(string name)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        if (!names.Add(name))
        {
            throw new OnnxRuntimeException(OrtErrorCode.InvalidGraph, $"The name '{name}' is already defined in this graph (ONNX is SSA: one producer per name).");
        }
    }
}
