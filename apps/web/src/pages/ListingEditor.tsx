export default function ListingEditor() {
  return null;
}
