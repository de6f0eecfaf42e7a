export default function AdminReview() {
  return null;
}
