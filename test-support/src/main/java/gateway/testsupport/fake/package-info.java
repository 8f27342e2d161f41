/**
 * The fake upstream LLM provider: {@link gateway.testsupport.fake.FakeUpstream} serves OpenAI Chat Completions,
 * Responses and Embeddings, Anthropic Messages and Gemini generateContent in their published wire formats, each
 * request answered as a scripted {@link gateway.testsupport.fake.Behavior} dictates. One writer class per protocol
 * ({@code OpenAiChatWire}, {@code OpenAiResponsesWire}, {@code OpenAiEmbeddingsWire}, {@code AnthropicWire},
 * {@code GeminiWire}) turns a behavior into bodies, errors and {@code StreamPlan}s; {@code StreamWriter} plays a plan
 * onto the connection with the scripted delays and faults. The media APIs ({@code OpenAiImagesWire},
 * {@code OpenAiVideosWire}, {@code DashScopeWire}, {@code GeminiImageWire}) sit behind {@code MediaEndpoints},
 * which keeps the video jobs ({@code VideoJob}) and the fake's own expiring file URLs ({@code HostedFiles}); the
 * files themselves are real PNG and MP4 bytes from {@link gateway.testsupport.fake.FakeMediaFiles}.
 */
package gateway.testsupport.fake;
