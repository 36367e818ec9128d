import { useState } from 'preact/hooks';
import { ApiError, request } from '../api.ts';
import { Notice, PageHeading, SubmitButton, textValue, useAction } from '../components.tsx';
import { ROLE_LABEL } from '../messages.ts';
import type { Session } from '../session.ts';
import type { RoleChoice, SessionCreated } from '../types.ts';

type Step = 'email' | 'code' | 'choose';

const WRONG_CODE = 'รหัสไม่ถูกต้อง หมดอายุ หรือใช้ไปแล้ว ตรวจสอบรหัสในอีเมลล่าสุด หรือกด "ขอรหัสใหม่"';

/**
 * Sign-in by a code sent to the address: email → code → (a person with several roles) a choice.
 * Nothing here tells whether an address is known: the API answers every request for a code alike.
 */
export const SignInPage = ({
  assessmentId,
  onSignedIn,
}: {
  assessmentId: string;
  onSignedIn: (session: Session) => void;
}) => {
  const [step, setStep] = useState<Step>('email');
  const [email, setEmail] = useState('');
  const [code, setCode] = useState('');
  const [choices, setChoices] = useState<RoleChoice[]>([]);
  const [choice, setChoice] = useState(0);
  const send = useAction();
  const verify = useAction();

  const askCode = (event: Event) => {
    event.preventDefault();
    void send.run(async () => {
      await request('POST', '/auth/code', { body: { email: email.trim(), assessmentId } });
      setCode('');
      setStep('code');
      return 'ถ้าอีเมลนี้มีสิทธิ์ในระบบ เราได้ส่งรหัส 6 หลักไปแล้ว (ใช้ได้ 10 นาที) กรุณาตรวจสอบกล่องจดหมาย รวมถึงจดหมายขยะ';
    });
  };

  const signIn = async (picked?: RoleChoice) => {
    const body = {
      email: email.trim(),
      assessmentId,
      code: code.trim(),
      ...(picked ? { role: picked.role, ...(picked.agencyId ? { agencyId: picked.agencyId } : {}) } : {}),
    };
    const answer = await request<SessionCreated | { choices: RoleChoice[] }>('POST', '/auth/session', {
      body,
    });
    if ('choices' in answer) {
      setChoices(answer.choices);
      setChoice(0);
      setStep('choose');
      return 'อีเมลนี้มีมากกว่าหนึ่งบทบาท กรุณาเลือกบทบาทที่จะใช้';
    }
    onSignedIn({ ...answer, email: answer.email ?? email.trim() });
    return 'เข้าสู่ระบบแล้ว';
  };

  const onCodeError = (error: unknown) => {
    if (error instanceof ApiError && error.status === 401)
      verify.setMessage({ kind: 'error', text: WRONG_CODE });
  };

  const submitCode = (event: Event) => {
    event.preventDefault();
    void verify.run(() => signIn(), onCodeError);
  };

  const submitChoice = (event: Event) => {
    event.preventDefault();
    void verify.run(() => signIn(choices[choice]), onCodeError);
  };

  const restart = () => {
    setStep('email');
    setCode('');
    verify.setMessage(null);
    send.setMessage(null);
  };

  return (
    <section class="card narrow" aria-labelledby="page-heading">
      <PageHeading>เข้าสู่ระบบ</PageHeading>
      <p class="muted">ระบบจะส่งรหัส 6 หลักไปที่อีเมลที่ลงทะเบียนไว้กับการประเมินนี้ ไม่ต้องใช้รหัสผ่าน</p>
      {step === 'email' && (
        <form id="email-form" onSubmit={askCode}>
          <label for="email">อีเมล</label>
          <input
            id="email"
            type="email"
            autocomplete="email"
            inputMode="email"
            required
            {...textValue(email, setEmail)}
          />
          <SubmitButton busy={send.busy} busyLabel="กำลังส่ง…">
            ส่งรหัสเข้าสู่ระบบ
          </SubmitButton>
        </form>
      )}
      {step === 'code' && (
        <form id="code-form" onSubmit={submitCode}>
          <p>
            อีเมล: <strong>{email}</strong>
          </p>
          <label for="code">รหัส 6 หลักจากอีเมล</label>
          <input
            id="code"
            inputMode="numeric"
            autocomplete="one-time-code"
            pattern="[0-9]{6}"
            maxLength={6}
            required
            value={code}
            onInput={(e) => setCode(e.currentTarget.value.replace(/\D/g, ''))}
          />
          <SubmitButton busy={verify.busy} busyLabel="กำลังตรวจสอบ…">
            เข้าสู่ระบบ
          </SubmitButton>
          <p class="actions">
            <button type="button" class="link" onClick={restart}>
              ขอรหัสใหม่ หรือใช้อีเมลอื่น
            </button>
          </p>
        </form>
      )}
      {step === 'choose' && (
        <form id="role-form" onSubmit={submitChoice}>
          <fieldset>
            <legend>เลือกบทบาท</legend>
            {choices.map((c, index) => (
              <label class="choice" key={`${c.role}-${c.agencyId ?? ''}`}>
                <input
                  type="radio"
                  name="role"
                  value={String(index)}
                  checked={choice === index}
                  onChange={() => setChoice(index)}
                />
                {c.label || ROLE_LABEL[c.role] || c.role}
              </label>
            ))}
          </fieldset>
          <button type="submit" disabled={verify.busy}>
            ใช้บทบาทนี้
          </button>
        </form>
      )}
      <Notice
        id="signin-message"
        message={step === 'email' ? send.message : (verify.message ?? send.message)}
      />
    </section>
  );
};
