import { MESSAGES } from '@/lib/i18n/messages';

// A Digital Link that is valid but names nothing recorded (and any other unknown path).
export default function NotFound() {
  return (
    <main>
      <h1>{MESSAGES.en.notFound.title}</h1>
      <p>{MESSAGES.en.notFound.body}</p>
      <h2 lang="zh-CN">{MESSAGES['zh-CN'].notFound.title}</h2>
      <p lang="zh-CN">{MESSAGES['zh-CN'].notFound.body}</p>
    </main>
  );
}
