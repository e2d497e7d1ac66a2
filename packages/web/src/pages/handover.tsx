import { useTitle } from '../components/use-title.js';

/** The desk page: a QR code that lets the person's phone record tasks without a password (`/handover`). */
export function HandoverPage() {
  useTitle('Record on your phone');
  return (
    <div className="page">
      <h1>Record on your phone</h1>
    </div>
  );
}

/** The page the phone opens from the QR code (`/phone#<token>`): signs it in for recording only. */
export function PhonePage() {
  useTitle('Recording on this phone');
  return (
    <div className="page">
      <h1>Recording on this phone</h1>
    </div>
  );
}
