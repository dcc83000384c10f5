using SupportSlm.Onnx;
using SupportSlm.Onnx.Model;
using SupportSlm.Onnx.Protobuf;
using SupportSlm.Training.Export;

namespace SupportSlm.Training.Import;

/// <summary>A decoder read back from one of our exported model folders, and the LoRA inputs its graph offers.</summary>
/// <param name="WeightBits">32 for float weights, 8 or 4 when the linear weights were MatMulNBits blocks (now dequantized).</param>
/// <param name="Blocks">The MatMulNBits blocks of each quantized projection by weight name, so a re-export can keep them
/// bit for bit (quantizing dequantized weights again would move some codes by one).</param>
public sealed record ImportedOnnxModel(string Folder, LlamaModel<float> Model, IReadOnlyList<LoraTarget> LoraTargets, int WeightBits,
    IReadOnlyDictionary<string, MatMulNBitsWeights> Blocks);

/// <summary>
/// Reads a folder written by <see cref="OnnxModelFolder.Write"/> back into a trainable <see cref="LlamaModel{T}"/>: the
/// inverse of <see cref="OnnxDecoderGraph"/>. Linear weights are stored as MatMul operands [in, out] (transposed back),
/// q/k rows in rotate-half order (permuted back to our interleaved pairs), and quantized weights are dequantized from
/// their blocks exactly as ONNX Runtime computes with them, so the imported model is the model the runtime serves.
/// Only our own export is read: the initializer names and layout are ours, and a foreign ONNX model is refused.
/// </summary>
public static class OnnxModelImport
{
    private const string Regenerate = "Only folders written by `supportslm export` can be fine-tuned; re-create it with `supportslm export --checkpoint <model> --out <folder>`.";

    /// <summary>The folder of <paramref name="path"/>: the path itself, or the folder of a model.onnx file.</summary>
    public static string FolderOf(string path) =>
        File.Exists(path) && path.EndsWith(".onnx", StringComparison.OrdinalIgnoreCase) ? Path.GetDirectoryName(Path.GetFullPath(path))! : path;

    /// <summary>True when <paramref name="path"/> is (or holds) an exported model.onnx.</summary>
    public static bool IsOnnxModel(string path) => File.Exists(Path.Combine(FolderOf(path), OnnxModelFolder.ModelFile));

    public static ImportedOnnxModel Load(string path)
    {
        string folder = FolderOf(path);
        var config = OnnxModelFolder.ReadConfig(folder);
        var graph = ReadOurGraph(Path.Combine(folder, OnnxModelFolder.ModelFile));
        var reader = new GraphReader(graph, folder);
        var layout = new ParameterLayout(config);
        var weights = new float[layout.Count];
        reader.Float("model.embed_tokens.weight", [config.VocabSize, config.Dim]).CopyTo(weights, layout.Embedding);
        int bits = 32;
        for (int l = 0; l < config.Layers; l++)
        {
            var o = layout.Layers[l];
            reader.Float($"model.layers.{l}.input_layernorm.weight", [config.Dim]).CopyTo(weights, o.AttnNorm);
            reader.Float($"model.layers.{l}.post_attention_layernorm.weight", [config.Dim]).CopyTo(weights, o.FfnNorm);
            foreach (var target in Enum.GetValues<LoraTarget>())
            {
                var (rows, layerBits) = reader.Projection(config, l, target);
                bits = Math.Min(bits, layerBits);
                rows.CopyTo(weights, ProjectionOffset(o, target));
            }
        }
        reader.Float("model.norm.weight", [config.Dim]).CopyTo(weights, layout.FinalNorm);
        if (!config.TiedEmbeddings)
            OnnxDecoderGraph.Transposed(reader.Float("lm_head.weight", [config.Dim, config.VocabSize]), config.Dim, config.VocabSize).CopyTo(weights, layout.Output);
        return new ImportedOnnxModel(folder, new LlamaModel<float>(config, weights), reader.LoraTargets(config), bits, reader.Blocks);
    }

    private static GraphProto ReadOurGraph(string file)
    {
        ModelProto model;
        try
        {
            model = OnnxModelFile.Load(file);
        }
        catch (OnnxRuntimeException e)
        {
            throw new TrainingException($"{file} cannot be read: {e.OrtMessage} {Regenerate}", e);
        }
        var format = model.MetadataProps.FirstOrDefault(p => p.Key == OnnxDecoderGraph.FormatKey)?.Value;
        if (format != OnnxDecoderGraph.FormatVersion)
            throw new TrainingException($"{file} was not exported by SupportSlm (metadata {OnnxDecoderGraph.FormatKey}={OnnxDecoderGraph.FormatVersion} missing, found '{format ?? "none"}'). {Regenerate}");
        return model.Graph;
    }

    private static int ProjectionOffset(LayerOffsets o, LoraTarget target) => target switch
    {
        LoraTarget.Q => o.Wq, LoraTarget.K => o.Wk, LoraTarget.V => o.Wv, LoraTarget.O => o.Wo,
        LoraTarget.Gate => o.WGate, LoraTarget.Up => o.WUp, _ => o.WDown,
    };

    /// <summary>Initializers and nodes of one graph, by name, with errors that name the missing or malformed tensor.</summary>
    private sealed class GraphReader
    {
        private readonly Dictionary<string, TensorProto> _initializers;
        private readonly Dictionary<string, NodeProto> _nodeByWeight = new(StringComparer.Ordinal);
        private readonly HashSet<string> _inputs;
        private readonly string _folder;

        public GraphReader(GraphProto graph, string folder)
        {
            _folder = folder;
            _initializers = graph.Initializer.GroupBy(t => t.Name).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
            _inputs = graph.Input.Select(i => i.Name).ToHashSet(StringComparer.Ordinal);
            foreach (var node in graph.Node.Where(n => n.OpType == "MatMulNBits" && n.Input.Count > 1))
                _nodeByWeight[node.Input[1]] = node;
        }

        public Dictionary<string, MatMulNBitsWeights> Blocks { get; } = new(StringComparer.Ordinal);

        public float[] Float(string name, long[] dims) => Tensor<float>(name, dims);

        /// <summary>The projection as our trainer stores it ([out, in], q/k rows interleaved) and the bits it was stored with.</summary>
        public (float[] Rows, int Bits) Projection(LlamaConfig c, int layer, LoraTarget target)
        {
            var (inDim, outDim) = LoraAdapter<float>.Dimensions(c, target);
            string name = $"model.layers.{layer}.{LoraAdapter<float>.ModuleName(target)}.weight";
            float[] matmulForm;   // [in, out]
            int bits = 32;
            if (_initializers.ContainsKey(name)) matmulForm = Float(name, [inDim, outDim]);
            else (matmulForm, bits) = Dequantized(name, inDim, outDim);
            var rows = OnnxDecoderGraph.Transposed(matmulForm, inDim, outDim);
            var interleaved = target switch
            {
                LoraTarget.Q => RopeLayout.HalfToInterleaved(rows, c.Heads, c.HeadSize, inDim),
                LoraTarget.K => RopeLayout.HalfToInterleaved(rows, c.KvHeads, c.HeadSize, inDim),
                _ => rows,
            };
            return (interleaved, bits);
        }

        /// <summary>Targets whose LoRA inputs (A and B) every layer of the graph declares.</summary>
        public IReadOnlyList<LoraTarget> LoraTargets(LlamaConfig c) =>
            Enum.GetValues<LoraTarget>().Where(t => Enumerable.Range(0, c.Layers).All(l =>
                _inputs.Contains(OnnxDecoderGraph.LoraInputName(l, t, 'A')) && _inputs.Contains(OnnxDecoderGraph.LoraInputName(l, t, 'B')))).ToList();

        private (float[] Weights, int Bits) Dequantized(string name, int k, int n)
        {
            string packedName = name + ".qweight";
            if (!_initializers.ContainsKey(packedName) || !_nodeByWeight.TryGetValue(packedName, out var node))
                throw Foreign($"has neither the float weight '{name}' nor its MatMulNBits blocks '{packedName}'");
            long Attribute(string attribute) => node.Attribute.FirstOrDefault(a => a.Name == attribute)?.I
                ?? throw Foreign($"has a MatMulNBits node for '{name}' without the '{attribute}' attribute");
            if (Attribute("K") != k || Attribute("N") != n)
                throw Foreign($"has MatMulNBits '{name}' of K={Attribute("K")} N={Attribute("N")}, but config.json implies {k}×{n}");
            int bits = (int)Attribute("bits"), blockSize = (int)Attribute("block_size");
            try
            {
                var blocks = MatMulNBitsWeights.FromBlocks(k, n, bits, blockSize,
                    Tensor<byte>(packedName, null), Tensor<float>(name + ".scales", null), Tensor<byte>(name + ".qzeros", null));
                Blocks[name] = blocks;
                return (blocks.Dequantize(), bits);
            }
            catch (OnnxRuntimeException e)
            {
                throw Foreign($"has MatMulNBits blocks for '{name}' that do not match their attributes ({e.OrtMessage})");
            }
        }

        /// <summary>The tensor's elements; <paramref name="dims"/> (when given) must match exactly.</summary>
        private T[] Tensor<T>(string name, long[]? dims) where T : unmanaged
        {
            if (!_initializers.TryGetValue(name, out var tensor)) throw Foreign($"lacks the initializer '{name}'");
            if (dims is not null && !OnnxTensors.Dims(tensor).SequenceEqual(dims))
                throw Foreign($"has '{name}' of shape [{string.Join(", ", OnnxTensors.Dims(tensor))}], config.json implies [{string.Join(", ", dims)}]");
            try
            {
                return OnnxTensors.ToArray<T>(tensor);
            }
            catch (OnnxRuntimeException e)
            {
                throw Foreign($"has an unreadable '{name}' ({e.OrtMessage})");
            }
        }

        private TrainingException Foreign(string problem) =>
            new($"The model in {_folder} {problem}: it is not a decoder exported by SupportSlm, or its config.json belongs to another model. {Regenerate}");
    }
}
