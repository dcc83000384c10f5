using SupportSlm.Onnx.Adapters;

namespace SupportSlm.Training.Export;

/// <summary>
/// A trained LoRA adapter as an ONNX Runtime .onnx_adapter: one parameter per LoRA input of a graph exported with
/// <see cref="OnnxExportOptions.LoraTargets"/> — A as [in, rank], B as [rank, out] scaled by alpha/rank (q/k rows
/// in rotate-half order), so the graph's x·A·B equals our s·(x·Aᵀ)·Bᵀ.
/// </summary>
public static class OnnxAdapterExport
{
    public static OnnxAdapter Create(LoraAdapter<float> adapter)
    {
        var c = adapter.BaseConfig;
        int rank = adapter.Config.Rank;
        float scale = (float)adapter.Config.Scale;
        var parameters = new List<OnnxAdapterParameter>();
        for (int l = 0; l < c.Layers; l++)
            foreach (var target in adapter.Config.Targets.Distinct().Order())
            {
                var (inDim, outDim) = LoraAdapter<float>.Dimensions(c, target);
                string module = $"model.layers.{l}.{LoraAdapter<float>.ModuleName(target)}";
                var a = Slice(adapter, module + ".lora_A.weight");
                var b = ExportWeights.ToHalfOrder(c, target, Slice(adapter, module + ".lora_B.weight"), rank);
                for (int i = 0; i < b.Length; i++) b[i] *= scale;
                parameters.Add(OnnxAdapterParameter.Create<float>(OnnxDecoderGraph.LoraInputName(l, target, 'A'),
                    OnnxDecoderGraph.Transposed(a, rank, inDim), inDim, rank));
                parameters.Add(OnnxAdapterParameter.Create<float>(OnnxDecoderGraph.LoraInputName(l, target, 'B'),
                    OnnxDecoderGraph.Transposed(b, outDim, rank), rank, outDim));
            }
        return new OnnxAdapter(parameters);
    }

    private static float[] Slice(LoraAdapter<float> adapter, string name)
    {
        var slot = adapter.Tensors.First(t => t.Name == name);
        return adapter.Weights.AsSpan(slot.Offset, slot.Length).ToArray();
    }
}
