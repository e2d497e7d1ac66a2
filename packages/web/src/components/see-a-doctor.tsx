/** What we say when a doctor has not (or not surely) confirmed the diagnosis. */
export function SeeADoctor() {
  return (
    <div className="notice notice--care">
      <h2>Please see a doctor about your hand</h2>
      <p>
        Hand cramps and loss of control can have several causes, and some of them need their own treatment.
        Only a doctor can tell what it is. The best person to see is a{' '}
        <strong>neurologist who specialises in movement disorders</strong>; your family doctor can refer you.
      </p>
      <p>
        You can still use Dystrack meanwhile. Measurements over several days can be useful to bring to that
        appointment, but Dystrack cannot tell you what you have.
      </p>
    </div>
  );
}
